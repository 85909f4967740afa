# A saved Prometheus range answer: the min and avg of one series, picked by its labels
# (jq --arg name NAME --arg instance INSTANCE -c -f prometheus.jq ANSWER).
if .status != "success" or ((.warnings // []) | length) > 0 then error("not a complete answer")
else
  [.data.result[] | select(.metric.__name__ == $name and .metric.instance == $instance)]
  | first
  | [.values[][1] | tonumber]
  | {min: min, avg: (add / length)}
end
