"""Golden data for YAML merge keys (`<<: *anchor`, YAML 1.1).

Each hand-made YAML document below is read by PyYAML (`yaml.safe_load`, which
applies merge keys as YAML 1.1 defines them) and the result given to
protobuf's `json_format.ParseDict` as a `flyteidl.plugins.RayJob`, exactly as
a Python user loading a YAML spec would; the deterministic encoding (or
ParseDict's refusal) is the expected outcome of `RayJob::from_yaml`.

For a list of mappings (`<<: [*a, *b]`) YAML 1.1 says keys of *earlier*
mappings win. PyYAML 6.0.4 does not do that consistently (in these very
cases it lets the later mapping win for block-style items but not for a
string map), so for documents with a merge list the rows are marked
`"merge_list": true` and the tests take `serde_yaml_ng`'s `apply_merge`,
which follows the specification, as the reference instead.
"""

import json

import yaml
from flyteidl.plugins import ray_pb2
from google.protobuf import json_format

CASES = {
    "merge-one-mapping": """
rayCluster:
  workerGroupSpec:
    - &base
      groupName: a
      replicas: 2
      maxReplicas: 4
    - <<: *base
      groupName: b
""",
    "merge-own-keys-win-wherever-written": """
rayCluster:
  workerGroupSpec:
    - &base {groupName: a, replicas: 2, minReplicas: 1}
    - replicas: 5
      <<: *base
""",
    "merge-list-earlier-wins": """
rayCluster:
  workerGroupSpec:
    - &one {groupName: one, replicas: 1}
    - &two {groupName: two, replicas: 2, maxReplicas: 9}
    - <<: [*one, *two]
    - <<: [*two, *one]
      minReplicas: 3
""",
    "merge-inline-mappings": """
rayCluster:
  workerGroupSpec:
    - <<: [{groupName: x}, {groupName: y, replicas: 4}]
""",
    "merge-nested-anchor-with-merge": """
rayCluster:
  workerGroupSpec:
    - &a {groupName: a, replicas: 1}
    - &b
      <<: *a
      maxReplicas: 3
    - <<: *b
      groupName: c
""",
    "merge-string-map": """
rayCluster:
  headGroupSpec:
    rayStartParams: &params
      dashboard-host: "0.0.0.0"
      num-cpus: "0"
  workerGroupSpec:
    - groupName: w
      rayStartParams:
        <<: *params
        num-cpus: "8"
""",
    "merge-string-map-list": """
rayCluster:
  headGroupSpec:
    rayStartParams:
      <<: [{a: "1", b: "2"}, {b: "3", c: "4"}]
      c: "5"
""",
    "merge-message-with-submessage": """
rayCluster:
  headGroupSpec: &head
    rayStartParams: {x: "1"}
    k8sPod:
      primaryContainerName: ray-head
  workerGroupSpec:
    - groupName: w
      <<: *head
""",
    "merge-whole-cluster": """
rayCluster: &c
  enableAutoscaling: true
  workerGroupSpec: [{groupName: w, replicas: 1}]
runtimeEnvYaml: "pip: [numpy]"
""",
    "merge-proto-name-in-base": """
rayCluster:
  workerGroupSpec:
    - &base {group_name: a, max_replicas: 4}
    - <<: *base
      groupName: b
""",
    "merge-unknown-field-in-base": """
rayCluster:
  workerGroupSpec:
    - <<: {groupName: a, replicaz: 2}
""",
    "merge-scalar-is-an-error": """
rayCluster:
  workerGroupSpec:
    - <<: 5
""",
}

def encode(doc):
    return json_format.ParseDict(yaml.safe_load(doc), ray_pb2.RayJob()).SerializeToString(deterministic=True).hex()


OUT = "crates/flyte-ray-models/tests/data/yaml_merge.jsonl"

with open(OUT, "w") as out:
    for name, doc in CASES.items():
        row = {"id": name, "yaml": doc, "merge_list": "<<: [" in doc}
        try:
            row["pb_hex"] = encode(doc)
        except Exception as e:  # PyYAML or ParseDict refuses it
            row["error"] = f"{type(e).__name__}: {e}"
        out.write(json.dumps(row, sort_keys=True) + "\n")
print("python", yaml.__version__)
