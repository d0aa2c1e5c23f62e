"""Records flytekit's short_string of examples/ray_job.yaml, for the test
that `flyte-ray show examples/ray_job.yaml -o short` prints exactly it
(crates/flyte-ray-cli/tests/text_input.rs).

Run from the repository root, with pure-Python protobuf as the golden
generator runs (upb iterates maps in hash order, the pure-Python backend,
like the golden contract, in key order for a message read from bytes):

    PROTOCOL_BUFFERS_PYTHON_IMPLEMENTATION=python \
        /tmp/flytekit-ref/bin/python tests/data/examples/gen_short_string.py

The YAML is read with PyYAML, parsed with protobuf's ParseDict into
flyteidl.plugins.RayJob (flyteidl 1.16.8) and read back from its
deterministic bytes; the string is flytekit
1.16.31's FlyteIdlEntity.short_string of a model whose to_flyte_idl() is
that message, computed as flytekit/models/common.py computes it (on the
message itself: flytekitplugins-ray's from_flyte_idl would drop fields
first).
"""

import os

assert os.environ.get("PROTOCOL_BUFFERS_PYTHON_IMPLEMENTATION") == "python", "run with pure-python protobuf"

import yaml  # noqa: E402
from flytekit.models.common import _repr_idl_yaml_like  # noqa: E402
from flyteidl.plugins import ray_pb2  # noqa: E402
from google.protobuf import json_format  # noqa: E402

with open("examples/ray_job.yaml", encoding="utf-8") as f:
    doc = yaml.safe_load(f)
# Through the deterministic bytes, as a stored spec is read back (maps and
# Struct fields then iterate in key order, not in the YAML's order).
parsed = json_format.ParseDict(doc, ray_pb2.RayJob())
msg = ray_pb2.RayJob.FromString(parsed.SerializeToString(deterministic=True))
# As FlyteIdlEntity.short_string does it (os.linesep is "\n" here).
str_repr = _repr_idl_yaml_like(msg, indent=2).rstrip("\n")
text = "Flyte Serialized object (RayJob):\n" + str_repr
with open("tests/data/examples/ray_job.short_string.txt", "w", encoding="utf-8") as f:
    f.write(text)
print(text)
