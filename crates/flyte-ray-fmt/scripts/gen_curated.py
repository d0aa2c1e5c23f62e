#!/usr/bin/env python3
"""Reference output for the curated snapshot cases and the building-block
unit tests, from the real flytekit (same printer patches as
/work/shared/reference/gen_golden.py: upb double rule, key+value map entries).

    PROTOCOL_BUFFERS_PYTHON_IMPLEMENTATION=python /tmp/flytekit-ref/bin/python \
        crates/flyte-ray-fmt/scripts/gen_curated.py > crates/flyte-ray-fmt/tests/data/curated.json
"""
import json
import math
import os
import sys
import textwrap

assert os.environ.get("PROTOCOL_BUFFERS_PYTHON_IMPLEMENTATION") == "python"
sys.argv = [sys.argv[0], "0", "0", "/dev/null"]
sys.path.insert(0, "/work/shared/reference")
import gen_golden  # noqa: E402  (installs the printer patches)
from flytekit.models import task as T  # noqa: E402
from flytekitplugins.ray import models as R  # noqa: E402

LONG = "ray start --head --num-cpus=4 --dashboard-host=0.0.0.0 --block --metrics-export-port=8080 --port=6379"
HYPHENS = "train-gpu-ray-mem-worker-group-head-node-cpu-eval-train-gpu-ray-mem-worker-group-head-node-cpu"
QUOTES = "it's \"quoted\" \\ back\\slash\ttab\nnewline\r\x01\x1b\x7f"
UNICODE = "caf\u00e9\u00a0nbsp\u2028ls e\u0301 \U0001F469\u200d\U0001F4BB \u4e2d\u6587 \u00df"

# Maps are written in key order, as gen_golden.py does (pure-Python protobuf
# prints them in insertion order; the contract, and upb, sort them).


def pod(spec, **kw):
    return T.K8sPod(pod_spec=spec, **kw)

CASES = [
    ("ray_job", R.RayJob(
        ray_cluster=R.RayCluster(
            head_group_spec=R.HeadGroupSpec(ray_start_params={"block": "true", "dashboard-host": "0.0.0.0"}),
            worker_group_spec=[R.WorkerGroupSpec(group_name="gpu-group", replicas=2, min_replicas=1, max_replicas=4)],
            enable_autoscaling=True,
        ),
        runtime_env_yaml="pip:\n- numpy\n",
        ttl_seconds_after_finished=3600,
        shutdown_after_job_finishes=True,
    )),
    ("ray_cluster", R.RayCluster(
        worker_group_spec=[R.WorkerGroupSpec(group_name="a", replicas=1), R.WorkerGroupSpec(group_name="b", replicas=3)],
        autoscaler_options=R.AutoscalerOptions(upscaling_mode=2, idle_timeout_seconds=60),
    )),
    ("head_group_spec", R.HeadGroupSpec(ray_start_params={"num-cpus": "0"}, k8s_pod=pod({"containers": [{"name": "ray-head"}]}))),
    ("worker_group_spec", R.WorkerGroupSpec(group_name="cpu-workers", replicas=8, min_replicas=2, max_replicas=16,
                                            ray_start_params={"num-cpus": "4"})),
    ("autoscaler_options", R.AutoscalerOptions(upscaling_mode=3, idle_timeout_seconds=120, image="rayproject/ray:2.9.0",
                                               env={"B": "2", "LOG": "INFO"},
                                               resources=T.Resources(requests=[T.Resources.ResourceEntry(1, "500m")], limits=[]))),
    ("k8s_pod", T.K8sPod(metadata=T.K8sObjectMetadata(labels={"app": "ray"}), pod_spec={"restartPolicy": "Never"},
                         primary_container_name="primary")),
    ("k8s_object_metadata", T.K8sObjectMetadata(labels={"app": "ray", "team": "ml"}, annotations={"note": "it's"})),
    ("resources", T.Resources(requests=[T.Resources.ResourceEntry(1, "2"), T.Resources.ResourceEntry(3, "4Gi")],
                              limits=[T.Resources.ResourceEntry(2, "1")])),
    ("data_loading_config", T.DataLoadingConfig(input_path="/in", output_path="/out", enabled=True, format=1,
                                                io_strategy=T.IOStrategy(download_mode=1, upload_mode=2))),
    ("io_strategy", T.IOStrategy(download_mode=2, upload_mode=1)),
    ("empty_worker_group_spec", R.WorkerGroupSpec(group_name="", replicas=0)),
    ("long_string_crosses_column_80", R.WorkerGroupSpec(group_name=LONG, replicas=1)),
    ("long_map_crosses_column_80", R.HeadGroupSpec(ray_start_params={"args": LONG, "b": "x"})),
    ("hyphen_breaks", R.WorkerGroupSpec(group_name=HYPHENS, replicas=1)),
    ("hyphen_breaks_in_map", R.HeadGroupSpec(ray_start_params={"hyphenated": HYPHENS})),
    ("quotes_backslashes_controls", R.WorkerGroupSpec(group_name=QUOTES, replicas=1, ray_start_params={"it's": 'say "hi"', "q": QUOTES})),
    ("unicode", R.WorkerGroupSpec(group_name=UNICODE, replicas=1, ray_start_params={UNICODE: "k", "u": UNICODE})),
    ("pod_spec_numbers", T.K8sPod(pod_spec=gen_golden.sort_json({"nan": math.nan, "negzero": -0.0, "big": 1e16, "third": 1 / 3,
                                            "inf": math.inf, "tenth": 0.1, "int": 3, "list": [1.5, -2.5, 1e21]}))),
]

BLOCKS = {
    "repr": ["", "plain", "it's", 'say "hi"', "both ' and \"", "back\\slash", "\t\n\r\x00\x01\x1b\x7f",
             "\x80\x9f\xa0\xa1\xad", "\u00e9", "\u00a0", "\u2028", "\u2029", "e\u0301", "\U0001F469\u200d\U0001F4BB",
             "\ufeff", "\ue000", "\U000E0001", "\u0378", "\U0010FFFF", "\u3000", "\u200b", "\u4e2d"],
    "isprintable": [" ", "a", "~", "\x7f", "\xa0", "\xad", "\u00e9", "\u0301", "\u200d", "\u2028", "\u2029", "\u3000",
                    "\ue000", "\ufeff", "\U0001F469", "\U0001F4BB", "\u0378", "\u4e2d", "\U000E0001", "\u1680", "\u061c"],
    "doubles": [0.0, -0.0, 1.0, 0.1, 1 / 3, 1e16, 1e15, 1e21, 1e-7, 123456.789, 2.0 ** 53 + 2, 2.0 ** 60, -2.5,
                1.5, 5e-324, 1.7976931348623157e308, 100.0, 0.0001, 0.00001, 1e15 + 0.5, math.nan, math.inf, -math.inf],
    "shorten": [
        ("Hello  world!", 12, " [...]"), ("Hello  world!", 11, " [...]"), ("Hello world!", 11, "..."),
        ("  lots \n of \t space  ", 80, " [...]"), (LONG, 80, " [...]"), (HYPHENS, 80, " [...]"),
        ("ray-worker ray-worker ray-worker", 15, " [...]"), ("g1-x " * 30, 80, " [...]"),
        ("a" * 100, 80, " [...]"), ("ab-" + "c" * 100, 80, " [...]"), ("--" + "x" * 90, 80, " [...]"),
        ("word -- dash " * 10, 80, " [...]"), ("x--y " * 30, 80, " [...]"), ("ab-cd-ef " * 15, 80, " [...]"),
        ("nbsp\u00a0joins\u2028too " * 8, 80, " [...]"), ("\u00e9l\u00e8ve-\u00e9tudiant " * 8, 80, " [...]"),
        ("a1-b2 c3-d4 " * 10, 80, " [...]"), ("x", 80, " [...]"), ("", 80, " [...]"), ("one two", 5, " [...]"), ("one two three", 7, " [...]"),
        ("-" * 100, 80, " [...]"), ("a-" * 60, 80, " [...]"), ("supercalifragilistic", 10, "..."),
    ],
}


def fmt(v):
    return gen_golden.upb_double(v)


out = {"cases": [], "repr": [], "isprintable": [], "doubles": [], "shorten": []}
for name, model in CASES:
    msg = model.to_flyte_idl()
    out["cases"].append({
        "name": name,
        "type": type(model).__name__,
        "proto": msg.DESCRIPTOR.full_name,
        "pb_hex": msg.SerializeToString(deterministic=True).hex(),
        "text": str(msg),
        "short_string": model.short_string(),
    })
for s in BLOCKS["repr"]:
    out["repr"].append([s, repr(s)])
for c in BLOCKS["isprintable"]:
    out["isprintable"].append([c, c.isprintable()])
for d in BLOCKS["doubles"]:
    out["doubles"].append([repr(d), fmt(d)])
for text, width, ph in BLOCKS["shorten"]:
    out["shorten"].append([text, width, ph, textwrap.shorten(text, width=width, placeholder=ph)])
json.dump(out, sys.stdout, ensure_ascii=False, indent=1)
print()
