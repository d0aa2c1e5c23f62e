#!/usr/bin/env python3
"""flytekit's short_string of every flyteidl2 golden case.

Flyte 2 has no model layer, so the golden cases carry no short_string; the
issue asks that ours keep flytekit's algorithm for both generations. This
runs flytekit's own `_repr_idl_yaml_like` (flytekit 1.16.31) over each case's
flyteidl2 message, decoded from `pb_hex`, exactly as
`FlyteIdlEntity.short_string` does for a v1 model.

Run with the flytekit reference venv (`../../../../shared/reference/setup.sh`)
and the flyteidl2 package importable (a directory on PYTHONPATH holding only
the `flyteidl2` and `buf` packages of the flyteidl2 reference venv), under
pure-python protobuf, whose map fields keep wire order (the golden bytes have
them sorted) -- as the v1 generator did:

  PROTOCOL_BUFFERS_PYTHON_IMPLEMENTATION=python PYTHONPATH=DIR \
    FLYTEKIT/bin/python gen_short_strings.py golden-v2.jsonl golden-v2-adversarial.jsonl > short-strings-v2.jsonl

Doubles and map entries inside text-format fragments (repeated messages)
print as the upb/C++ printer prints them, as in the v1 golden set.
"""
import json
import math
import os
import sys

assert os.environ.get("PROTOCOL_BUFFERS_PYTHON_IMPLEMENTATION") == "python"

from google.protobuf import descriptor as _descriptor
from google.protobuf import text_format

from flytekit.models.common import _repr_idl_yaml_like
from flyteidl2.core import tasks_pb2
from flyteidl2.plugins import ray_pb2


def upb_double(v):
    if math.isnan(v):
        return "nan"
    if math.isinf(v):
        return "inf" if v > 0 else "-inf"
    s = "%.15g" % v
    return s if float(s) == v else "%.17g" % v


_print_value = text_format._Printer.PrintFieldValue


def print_value(self, field, value):
    if field.cpp_type == _descriptor.FieldDescriptor.CPPTYPE_DOUBLE:
        self.out.write(upb_double(value))
    else:
        _print_value(self, field, value)


text_format._Printer.PrintFieldValue = print_value

_print_message = text_format._Printer.PrintMessage


def print_message(self, message):
    # upb and C++ print both key and value of a map entry, even when empty.
    if message.DESCRIPTOR.GetOptions().map_entry:
        for name in ("key", "value"):
            fd = message.DESCRIPTOR.fields_by_name[name]
            if fd.cpp_type == fd.CPPTYPE_MESSAGE and not message.HasField(name):
                continue
            self.PrintField(fd, getattr(message, name))
        return
    _print_message(self, message)


text_format._Printer.PrintMessage = print_message

for path in sys.argv[1:]:
    with open(path) as f:
        for line in f:
            case = json.loads(line)
            module = ray_pb2 if case["proto"].startswith("flyteidl2.plugins.") else tasks_pb2
            msg = getattr(module, case["type"])()
            msg.ParseFromString(bytes.fromhex(case["pb_hex"]))
            body = _repr_idl_yaml_like(msg, indent=2).rstrip(os.linesep)
            short = f"Flyte Serialized object ({case['type']}):" + os.linesep + body
            print(json.dumps({"id": case["id"], "short_string": short}, ensure_ascii=False))
