"""Records what Python's protobuf `text_format.Parse` makes of a table of
hand-written text-format inputs: the deterministic bytes, or the error with
its line and column. The Rust tests (crates/flyte-ray-models/tests/
text_read.rs) hold our reader to these answers.

Run from the repository root with both reference venvs (see
../shared/reference/setup*.sh):

    /tmp/flytekit-ref/bin/python tests/data/text-format/gen_differential.py v1
    /tmp/flyteidl2-ref/bin/python tests/data/text-format/gen_differential.py v2

v1 parses with flyteidl 1.16.8 (flytekit's), v2 with flyteidl2 2.0.53; both
with protobuf 7.36.2 (upb). Each writes differential-<idl>.jsonl next to
this script.
"""

import json
import os
import sys

from google.protobuf import text_format

IDL = sys.argv[1]
if IDL == "v1":
    from flyteidl.core import tasks_pb2 as T
    from flyteidl.plugins import ray_pb2 as R
else:
    from flyteidl2.core import tasks_pb2 as T
    from flyteidl2.plugins import ray_pb2 as R

TYPES = {
    "RayJob": R.RayJob,
    "RayCluster": R.RayCluster,
    "HeadGroupSpec": R.HeadGroupSpec,
    "WorkerGroupSpec": R.WorkerGroupSpec,
    "AutoscalerOptions": getattr(R, "AutoscalerOptions", None),
    "K8sPod": T.K8sPod,
    "K8sObjectMetadata": T.K8sObjectMetadata,
    "Resources": T.Resources,
    "DataLoadingConfig": T.DataLoadingConfig,
    "IOStrategy": T.IOStrategy,
    "ExtendedResources": getattr(T, "ExtendedResources", None),
    "GPUAccelerator": getattr(T, "GPUAccelerator", None),
    "SharedMemory": getattr(T, "SharedMemory", None),
}

W = "WorkerGroupSpec"
P = "K8sPod"


def value(v):
    """A pod_spec with one field `a` holding the Value text `v`."""
    return 'pod_spec { fields { key: "a" value { %s } } }' % v


# (id, type, text). Shared by both IDLs unless the id starts with "v2-".
CASES = [
    # what the printer writes, and its variations
    ("printer-output", W, 'group_name: "gpu"\nreplicas: 2\nmin_replicas: 1\nmax_replicas: 4\n'),
    ("field-order-any", W, 'max_replicas: 4\nreplicas: 2\ngroup_name: "gpu"\n'),
    ("one-line", W, 'group_name: "gpu" replicas: 2'),
    ("separators", W, 'group_name: "gpu", replicas: 2; min_replicas: 1'),
    ("two-separators", W, 'group_name: "gpu",; replicas: 2'),
    ("empty", W, ""),
    ("only-comments", W, "# nothing here\n   # and here\n"),
    ("comments-everywhere", W, '# head\ngroup_name: # mid\n "gpu" # tail\nreplicas: 2#x\n'),
    ("comment-with-brace", "RayCluster", 'head_group_spec { # } not a brace\n}\n'),
    ("nested-colon-omitted", "RayJob", "ray_cluster { enable_autoscaling: true }"),
    ("nested-colon-given", "RayJob", "ray_cluster: { enable_autoscaling: true }"),
    ("angle-brackets", "RayJob", "ray_cluster < enable_autoscaling: true >"),
    ("angle-brace-mixed", "RayJob", "ray_cluster < enable_autoscaling: true }"),
    ("empty-submessage", "RayJob", "ray_cluster {}"),
    ("unclosed", "RayJob", "ray_cluster {\n  enable_autoscaling: true\n"),
    ("extra-close", "RayJob", "ray_cluster {}\n}\n"),
    # repeated fields and short-form lists
    ("repeated-messages", "RayCluster", "worker_group_spec { replicas: 1 }\nworker_group_spec { replicas: 2 }\n"),
    ("repeated-interleaved", "RayCluster", "worker_group_spec { replicas: 1 }\nenable_autoscaling: true\nworker_group_spec { replicas: 2 }\n"),
    ("list-of-messages", "RayCluster", "worker_group_spec: [{ replicas: 1 }, { replicas: 2 }]"),
    ("list-of-messages-no-colon", "RayCluster", "worker_group_spec [{ replicas: 1 }, { replicas: 2 }]"),
    ("list-empty", "RayCluster", "worker_group_spec: []"),
    ("list-trailing-comma", "RayCluster", "worker_group_spec: [{ replicas: 1 },]"),
    ("list-and-single", "RayCluster", "worker_group_spec: [{ replicas: 1 }]\nworker_group_spec { replicas: 2 }"),
    ("list-for-singular", W, "replicas: [1, 2]"),
    ("list-of-angle", "RayCluster", "worker_group_spec: [< replicas: 1 >]"),
    ("list-of-scalars-in-struct", P, value("list_value { values: [{ number_value: 1 }, { string_value: \"x\" }] }")),
    # maps
    ("map-entries", W, 'ray_start_params { key: "b" value: "2" }\nray_start_params { key: "a" value: "1" }\n'),
    ("map-duplicate-key", W, 'ray_start_params { key: "a" value: "1" }\nray_start_params { key: "a" value: "2" }\n'),
    ("map-value-first", W, 'ray_start_params { value: "1" key: "a" }'),
    ("map-key-missing", W, 'ray_start_params { value: "1" }'),
    ("map-value-missing", W, 'ray_start_params { key: "a" }'),
    ("map-empty-entry", W, "ray_start_params {}"),
    ("map-list", W, 'ray_start_params: [{ key: "a" value: "1" }, { key: "b" value: "2" }]'),
    ("map-unknown-entry-field", W, 'ray_start_params { key: "a" val: "1" }'),
    ("map-key-twice", W, 'ray_start_params { key: "a" key: "b" value: "1" }'),
    ("labels", "K8sObjectMetadata", 'labels { key: "app" value: "ray" }\nannotations { key: "x/y" value: "" }'),
    # strings and escapes
    ("string-single-quotes", W, "group_name: 'gpu'"),
    ("string-quotes-inside", W, "group_name: 'say \"hi\"' "),
    ("string-concatenated", W, 'group_name: "g" \'p\' "u"'),
    ("string-concatenated-lines", W, 'group_name: "g"\n  "pu"\n'),
    ("escape-simple", W, r'group_name: "a\nb\tc\rd\\e\"f\'g"'),
    ("escape-bell-etc", W, r'group_name: "\a\b\f\v"'),
    ("escape-octal", W, r'group_name: "\001\177\0\12x"'),
    ("escape-octal-utf8", W, r'group_name: "\303\251"'),
    ("escape-octal-invalid-utf8", W, r'group_name: "\351"'),
    ("escape-octal-too-big", W, r'group_name: "\400"'),
    ("escape-hex", W, r'group_name: "\x41\x9\x414"'),
    ("escape-hex-upper-x", W, r'group_name: "\X41"'),
    ("escape-hex-utf8", W, r'group_name: "\xc3\xa9"'),
    ("escape-hex-invalid-utf8", W, r'group_name: "\xff"'),
    ("escape-hex-none", W, r'group_name: "\xg"'),
    ("escape-unicode", W, r'group_name: "\u00e9\u4e2d"'),
    ("escape-unicode-long", W, r'group_name: "\U0001F600"'),
    ("escape-unicode-surrogate", W, r'group_name: "\ud800"'),
    ("escape-unicode-short", W, r'group_name: "\u12"'),
    ("escape-question", W, r'group_name: "\?"'),
    ("escape-unknown", W, r'group_name: "\q"'),
    ("utf8-raw", W, 'group_name: "é中😀"'),
    ("control-raw", W, 'group_name: "a\x01b\x7fc"'),
    ("nul-raw", W, 'group_name: "a\x00b"'),
    ("newline-in-string", W, 'group_name: "a\nb"'),
    ("unterminated-string", W, 'group_name: "abc'),
    ("string-unquoted", W, "group_name: gpu"),
    ("string-number", W, "group_name: 5"),
    # integers
    ("int-negative", W, "replicas: -5"),
    ("int-minus-space", W, "replicas: - 5"),
    ("int-minus-comment", W, "replicas: -#c\n5"),
    ("int-octal", W, "replicas: 017"),
    ("int-octal-bad", W, "replicas: 08"),
    ("int-hex", W, "replicas: 0x1F"),
    ("int-hex-upper", W, "replicas: 0X1f"),
    ("int-hex-negative", W, "replicas: -0x10"),
    ("int-underscore", W, "replicas: 1_000"),
    ("int-plus", W, "replicas: +5"),
    ("int-max", W, "replicas: 2147483647"),
    ("int-min", W, "replicas: -2147483648"),
    ("int-overflow", W, "replicas: 2147483648"),
    ("int-underflow", W, "replicas: -2147483649"),
    ("int-float", W, "replicas: 1.0"),
    ("int-exponent", W, "replicas: 1e2"),
    ("int-suffix", W, "replicas: 5u"),
    ("int-ident-glued", W, "replicas: 5abc"),
    ("int-bool", W, "replicas: true"),
    ("int-string", W, 'replicas: "5"'),
    ("int-zero-then-set", W, "replicas: 0 replicas: 3"),
    ("int-set-then-zero", W, "replicas: 3 replicas: 0"),
    ("int-twice", W, "replicas: 3 replicas: 4"),
    # bools
    ("bool-true", "RayJob", "shutdown_after_job_finishes: true"),
    ("bool-True", "RayJob", "shutdown_after_job_finishes: True"),
    ("bool-t", "RayJob", "shutdown_after_job_finishes: t"),
    ("bool-1", "RayJob", "shutdown_after_job_finishes: 1"),
    ("bool-0", "RayJob", "shutdown_after_job_finishes: 0"),
    ("bool-false-f", "RayJob", "shutdown_after_job_finishes: f"),
    ("bool-2", "RayJob", "shutdown_after_job_finishes: 2"),
    ("bool-TRUE", "RayJob", "shutdown_after_job_finishes: TRUE"),
    ("bool-yes", "RayJob", "shutdown_after_job_finishes: yes"),
    ("bool-hex", "RayJob", "shutdown_after_job_finishes: 0x1"),
    # enums
    ("enum-name", "IOStrategy", "download_mode: DOWNLOAD_STREAM upload_mode: UPLOAD_EAGER"),
    ("enum-number", "IOStrategy", "download_mode: 2"),
    ("enum-unknown-number", "IOStrategy", "download_mode: 7"),
    ("enum-negative", "IOStrategy", "download_mode: -1"),
    ("enum-hex", "IOStrategy", "download_mode: 0x2"),
    ("enum-unknown-name", "IOStrategy", "download_mode: DOWNLOAD_LATER"),
    ("enum-lowercase", "IOStrategy", "download_mode: download_stream"),
    ("enum-string", "IOStrategy", 'download_mode: "DOWNLOAD_STREAM"'),
    ("enum-zero-name", "IOStrategy", "download_mode: DOWNLOAD_EAGER"),
    ("resources", "Resources", "requests { name: CPU value: \"1\" }\nlimits { name: MEMORY value: \"1Gi\" }\nrequests { name: 2 value: \"1\" }"),
    ("data-config", "DataLoadingConfig", 'enabled: true input_path: "/in" format: YAML io_strategy { upload_mode: DO_NOT_UPLOAD }'),
    # the pod spec: google.protobuf.Struct
    ("struct-string", P, value('string_value: "x"')),
    ("struct-number-int", P, value("number_value: 3")),
    ("struct-number-float", P, value("number_value: 2.5")),
    ("struct-number-exp", P, value("number_value: 1e-3")),
    ("struct-number-exp-upper", P, value("number_value: 1E+3")),
    ("struct-number-leading-dot", P, value("number_value: .5")),
    ("struct-number-trailing-dot", P, value("number_value: 5.")),
    ("struct-number-f-suffix", P, value("number_value: 1.5f")),
    ("struct-number-F-suffix", P, value("number_value: 2F")),
    ("struct-number-negative", P, value("number_value: -0.25")),
    ("struct-number-negative-zero", P, value("number_value: -0")),
    ("struct-number-minus-space", P, value("number_value: - 1")),
    ("struct-number-hex", P, value("number_value: 0x10")),
    ("struct-number-octal", P, value("number_value: 010")),
    ("struct-number-huge", P, value("number_value: 1e400")),
    ("struct-number-17-digits", P, value("number_value: 0.33333333333333331")),
    ("struct-number-inf", P, value("number_value: inf")),
    ("struct-number-neg-inf", P, value("number_value: -inf")),
    ("struct-number-infinity", P, value("number_value: Infinity")),
    ("struct-number-INF", P, value("number_value: INF")),
    ("struct-number-inff", P, value("number_value: inff")),
    ("struct-number-nan", P, value("number_value: nan")),
    ("struct-number-neg-nan", P, value("number_value: -nan")),
    ("struct-number-NaN", P, value("number_value: NaN")),
    ("struct-number-string", P, value('number_value: "1"')),
    ("struct-bool", P, value("bool_value: true")),
    ("struct-null", P, value("null_value: NULL_VALUE")),
    ("struct-null-number", P, value("null_value: 0")),
    ("struct-oneof-twice", P, value("null_value: NULL_VALUE number_value: 1")),
    ("struct-oneof-same-twice", P, value("number_value: 1 number_value: 2")),
    ("struct-nested", P, value('struct_value { fields { key: "b" value { list_value { values { bool_value: false } } } } }')),
    ("struct-empty-value", P, value("")),
    ("struct-unknown-field", P, value("int_value: 3")),
    ("pod-full", P, 'metadata { labels { key: "a" value: "b" } }\npod_spec {\n  fields {\n    key: "containers"\n    value {\n      list_value {\n        values {\n          struct_value {\n            fields {\n              key: "name"\n              value {\n                string_value: "primary"\n              }\n            }\n          }\n        }\n      }\n    }\n  }\n}\nprimary_container_name: "primary"\n'),
    # unknown and misplaced fields
    ("unknown-field", W, "replicas: 2\nreplicaz: 3\n"),
    ("unknown-field-nested", "RayJob", "ray_cluster {\n  worker_group_spec {\n    replicas: 1\n  }\n  worker_group_spec {\n    replicaz: 2\n  }\n}\n"),
    ("unknown-message-field", "RayJob", "ray_cluster { nope { } }"),
    ("field-camel-case", W, "groupName: \"x\""),
    ("field-upper-case", W, "GROUP_NAME: \"x\""),
    ("field-number", W, "2: 3"),
    ("extension", W, "[flyteidl.x]: 3"),
    ("any-expansion", "RayJob", "[type.googleapis.com/flyteidl.plugins.RayCluster] { }"),
    ("message-twice", W, "k8s_pod {} k8s_pod {}"),
    ("message-twice-different", W, 'k8s_pod { primary_container_name: "a" } k8s_pod { primary_container_name: "b" }'),
    ("scalar-colon-missing", W, "replicas 2"),
    ("message-as-scalar", "RayJob", "ray_cluster: 3"),
    ("scalar-as-message", W, "replicas { }"),
    ("value-missing", W, "replicas:"),
    ("value-missing-next-field", W, "replicas:\ngroup_name: \"x\""),
    ("colon-twice", W, "replicas:: 2"),
    ("stray-token", W, "replicas: 2 }"),
    ("garbage", W, "%%%"),
    # whitespace
    ("whitespace-tabs-crlf", W, "group_name:\t\"x\"\r\nreplicas:\x0b2\x0c"),
    ("whitespace-nbsp", W, "replicas:\u00a02"),
    ("whitespace-none", W, 'group_name:"x"replicas:2'),
    ("no-space-int-ident", W, "replicas: 2group_name: \"x\""),
    ("bom", W, "\ufeffreplicas: 2"),
    # positions of errors on later lines
    ("error-line-3", W, 'group_name: "x"\n\n   replicas: "y"\n'),
    ("error-deep-line", "RayJob", "ray_cluster {\n  head_group_spec {\n    k8s_pod {\n      primary_container_name: 5\n    }\n  }\n}\n"),
    ("error-after-unicode", W, 'group_name: "中文中文"  replicas: x'),
    # Flyte 2 fields
    ("v2-extended-resources", W, 'extended_resources { gpu_accelerator { device: "nvidia-tesla-a100" partition_size: "1g.5gb" } shared_memory { mount_name: "shm" } }'),
    ("v2-gpu-oneof-twice", "GPUAccelerator", 'unpartitioned: true partition_size: "1g"'),
    ("v2-gpu-enums", "GPUAccelerator", "device_class: GOOGLE_TPU accelerator_model: NVIDIA_V100"),
    ("v2-unpartitioned-false", "GPUAccelerator", "unpartitioned: false"),
    ("v2-shared-memory", "SharedMemory", 'mount_path: "/dev/shm" size_limit: "1Gi"'),
    ("v2-extended-resources-top", "ExtendedResources", 'shared_memory {}'),
]


def depth_case(n):
    """A K8sPod whose text nests `{` exactly n levels deep (pod_spec, then
    fields, value, struct_value, fields, ... one level each)."""
    cycle = [("fields", 'key: "a" '), ("value", ""), ("struct_value", "")]
    opened = [("pod_spec", "")] + [cycle[i % 3] for i in range(n - 1)]
    return "".join("%s { %s" % (name, head) for name, head in opened) + "}" * n


for n in (99, 100, 101, 150):
    CASES.append(("depth-%d" % n, P, depth_case(n)))


def run(ty, text):
    cls = TYPES[ty]
    try:
        msg = text_format.Parse(text, cls())
        data = msg.SerializeToString(deterministic=True)
        try:
            cls.FromString(data)
            reads_back = True
        except Exception:  # "Error parsing message": past the recursion limit
            reads_back = False
        return {"ok": True, "pb_hex": data.hex(), "binary_reads_back": reads_back}
    except text_format.ParseError as e:
        return {"ok": False, "line": e.GetLine(), "column": e.GetColumn(), "error": str(e)}
    except Exception as e:  # the encoder's depth limit, say
        return {"ok": False, "line": None, "column": None, "error": "%s: %s" % (type(e).__name__, e)}


out_path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "differential-%s.jsonl" % IDL)
with open(out_path, "w", encoding="utf-8") as out:
    for cid, ty, text in CASES:
        if cid.startswith("v2-") and IDL == "v1":
            continue
        if TYPES.get(ty) is None:
            continue
        proto = TYPES[ty].DESCRIPTOR.full_name
        row = {"id": cid, "type": ty, "proto": proto, "text": text, "python": run(ty, text)}
        out.write(json.dumps(row, ensure_ascii=False) + "\n")
print("wrote", out_path)
