"""Chaos experiments: the Kubernetes resources chaos tools record their runs in, as
``kubectl get … -o json`` prints them (one resource, or a ``List`` of them).

``litmus`` reads LitmusChaos ``ChaosResult``s, whose verdict judges the system under the
fault; ``chaos_mesh`` reads Chaos Mesh experiments, whose status says only whether the fault
was injected and recovered, and never whether the system stayed healthy. ``_kube`` holds
what they share: finding the resources of a document, their names, and the times the API
server recorded.

Part of ``gatekeeper.parsers`` (the evidence layer): may import the base and model layers and
the readers in ``gatekeeper.parsers``; never the engine, reports or GitHub.
"""
