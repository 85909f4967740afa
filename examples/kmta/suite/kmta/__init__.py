"""KMTA: a toy mail transfer agent stack, just big enough to give gatekeeper real evidence.

Each module stands for one swimlane of the KMTA phase matrix: DKIM signing (Email
Authentication), the account hot setting and the multi-modal traffic splitter (Ingress
API, Campaigns Integration), the HAProxy config renderer (Resilience / Availability)
and the config tool (Managed Configuration).
"""

from __future__ import annotations
