"""Golden data for the `Struct` bridge (`to_struct` / `from_struct`).

For every vendored golden case (tests/data/golden/*.jsonl, made by flytekit
1.16.31), this writes what Python's protobuf makes of the case's
`MessageToDict` output as a `google.protobuf.Struct` -- exactly the step
flytekit's `TaskTemplate.to_flyte_idl` takes for `custom`:
`json_format.Parse(json.dumps(custom), Struct())` -- serialized
deterministically. For RayJob cases it also writes a whole
`flyteidl.core.TaskTemplate` (type "ray", an id, that `custom`) as Flyte's
admin stores it.

Run from the workspace root with the reference venv (../shared/reference/setup.sh):
    /tmp/flytekit-ref/bin/python crates/flyte-ray-models/scripts/gen_struct_golden.py
"""

import json

from flyteidl.core import identifier_pb2, tasks_pb2
from google.protobuf import json_format, struct_pb2

FILES = ["tests/data/golden/golden.jsonl", "tests/data/golden/golden-adversarial.jsonl"]
OUT = "crates/flyte-ray-models/tests/data/struct_golden.jsonl"

with open(OUT, "w") as out:
    for path in FILES:
        for line in open(path):
            case = json.loads(line)
            custom = json_format.Parse(json.dumps(case["json"]), struct_pb2.Struct())
            row = {
                "id": case["id"],
                "type": case["type"],
                "struct_pb_hex": custom.SerializeToString(deterministic=True).hex(),
            }
            if case["type"] == "RayJob":
                template = tasks_pb2.TaskTemplate(
                    id=identifier_pb2.Identifier(
                        resource_type=identifier_pb2.TASK,
                        project="flytesnacks",
                        domain="development",
                        name="ray_example." + case["id"],
                        version="v1",
                    ),
                    type="ray",
                    task_type_version=1,
                )
                if case["json"]:  # flytekit: `... if self.custom else None`
                    template.custom.CopyFrom(custom)
                row["task_template_pb_hex"] = template.SerializeToString(deterministic=True).hex()
            out.write(json.dumps(row, sort_keys=True) + "\n")
