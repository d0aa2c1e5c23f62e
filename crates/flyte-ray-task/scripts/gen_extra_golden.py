#!/usr/bin/env python3
"""Hand-written RayJobConfig documents run through the real SDKs, written as
golden-task lines (the format of ../shared/golden-task/README.md) to
tests/data/golden-task/extra.jsonl.

The random golden set covers the SDKs' behaviour; these documents are the
ones the tests name on purpose: the shipped example (examples/ray_config.yaml)
in both SDKs, one document per warning rule (docs/TASK_LAYER.md) and a few
extended-resources cases, and resource values that are not Kubernetes
quantities. The expected `custom`/error is what the SDK
returns, never written by hand; which warnings we must print for each
document is reasoned in tests/golden.rs.

usage (each SDK in its own environment, see ../shared/reference/setup_task.sh):
  GEN_TASK_SDK=flytekit PROTOCOL_BUFFERS_PYTHON_IMPLEMENTATION=python \\
      VENV_FLYTEKIT/bin/python gen_extra_golden.py REFERENCE_DIR EXAMPLE.yaml > flytekit.part
  GEN_TASK_SDK=flyte2 PROTOCOL_BUFFERS_PYTHON_IMPLEMENTATION=python \\
      VENV_FLYTE2/bin/python gen_extra_golden.py REFERENCE_DIR EXAMPLE.yaml > flyte2.part
  cat flytekit.part flyte2.part > tests/data/golden-task/extra.jsonl
"""
import os
import sys

SDK = os.environ["GEN_TASK_SDK"]

W = {"group_name": "w", "replicas": 2}

# (name, flavours, document)
DOCS = [
    # --- warnings, both SDKs
    ("address", ("flytekit", "flyte2"),
     {"worker_node_config": [W], "address": "ray://head:10001"}),
    ("ttl-without-shutdown", ("flytekit", "flyte2"),
     {"worker_node_config": [W], "ttl_seconds_after_finished": 600}),
    ("ttl-with-shutdown", ("flytekit", "flyte2"),
     {"worker_node_config": [W], "ttl_seconds_after_finished": 600,
      "shutdown_after_job_finishes": True}),
    ("autoscaler-without-autoscaling", ("flytekit", "flyte2"),
     {"worker_node_config": [W], "autoscaler_options": {"idle_timeout_seconds": 60}}),
    ("autoscaler-with-autoscaling", ("flytekit", "flyte2"),
     {"worker_node_config": [W], "enable_autoscaling": True,
      "autoscaler_options": {"idle_timeout_seconds": 60}}),
    ("runtime-env-empty", ("flytekit", "flyte2"),
     {"worker_node_config": [W], "runtime_env": {}}),
    ("runtime-env-null", ("flytekit", "flyte2"),
     {"worker_node_config": [W], "runtime_env": None}),
    ("clean", ("flytekit", "flyte2"),
     {"worker_node_config": [{"group_name": "w", "replicas": 2, "min_replicas": 1,
                              "max_replicas": 4}],
      "runtime_env": {"pip": ["numpy"]}}),
    # --- warnings, flytekit
    ("pod-template-dropped", ("flytekit",),
     {"worker_node_config": [{"group_name": "w", "replicas": 1,
                              "requests": {"cpu": "2"},
                              "pod_template": {"labels": {"team": "ml"},
                                               "pod_spec": {"containers": [
                                                   {"name": "primary", "image": "img:1"}]}}}]}),
    ("primary-name-mismatch-head", ("flytekit",),
     {"worker_node_config": [], "head_node_config": {"limits": {"mem": "1Gi"}}}),
    ("replicas-clamped", ("flytekit", "flyte2"),
     {"worker_node_config": [{"group_name": "w", "replicas": 3, "min_replicas": 5,
                              "max_replicas": 1}]}),
    # --- warnings, Flyte 2
    ("resources-merged", ("flyte2",),
     {"worker_node_config": [{"group_name": "w", "replicas": 1,
                              "requests": {"cpu": "2"},
                              "pod_template": {"pod_spec": {"containers": [
                                  {"name": "ray-worker", "image": "img:1",
                                   "resources": {"requests": {"cpu": "1", "memory": "1Gi"}}}]}}}]}),
    ("resource-claims-dropped", ("flyte2",),
     {"worker_node_config": [],
      "head_node_config": {"limits": {"memory": "2Gi"},
                           "pod_template": {"pod_spec": {"containers": [
                               {"name": "main",
                                "resources": {"claims": [{"name": "gpu-claim"}],
                                              "limits": {"cpu": "1"}}}]}}}}),
    ("accelerator-in-limits", ("flyte2",),
     {"worker_node_config": [{"group_name": "w", "replicas": 1,
                              "requests": {"cpu": "1"}, "limits": {"gpu": "A100:2"}}]}),
    ("accelerator-in-both", ("flyte2",),
     {"worker_node_config": [{"group_name": "w", "replicas": 1,
                              "requests": {"gpu": "A100:2"}, "limits": {"gpu": "A100:2"}}]}),
    ("shm-in-limits", ("flyte2",),
     {"worker_node_config": [], "head_node_config": {"limits": {"shm": "1Gi"}}}),
    ("autoscaler-shm", ("flyte2",),
     {"worker_node_config": [], "enable_autoscaling": True,
      "autoscaler_options": {"resources": {"cpu": "1", "shm": "1Gi"}}}),
    # --- resource values that are not Kubernetes quantities: both SDKs pass
    # them through (warning `resource-quantity-invalid`)
    ("bad-quantity", ("flytekit",),
     {"worker_node_config": [{"group_name": "w", "replicas": 1,
                              "requests": {"cpu": "2 cores", "mem": "1GB"},
                              "limits": {"cpu": "4", "gpu": "T4:1"}}],
      "head_node_config": {"limits": {"ephemeral_storage": "lots"}},
      "enable_autoscaling": True,
      "autoscaler_options": {"requests": {"cpu": "one"}, "limits": {"mem": 2}}}),
    ("bad-quantity", ("flyte2",),
     {"worker_node_config": [{"group_name": "w", "replicas": 1,
                              "requests": {"cpu": "2 cores", "memory": "1GB",
                                           "gpu": "T4:1"},
                              "limits": {"disk": "lots"}}],
      "head_node_config": {"requests": {"shm": "big"}, "limits": {"shm": "huge"}},
      "enable_autoscaling": True,
      "autoscaler_options": {"resources": {"cpu": ["1", "2 cores"], "memory": "1 Gi",
                                           "shm": "x"}}}),
    # a bad quantity inside a pod spec: the SDKs take it too, the reader
    # refuses it (the pod could never be created)
    ("bad-quantity-in-pod-spec", ("flytekit", "flyte2"),
     {"worker_node_config": [{"group_name": "w", "replicas": 1,
                              "pod_template": {"pod_spec": {"containers": [
                                  {"name": "ray-worker",
                                   "resources": {"limits": {"cpu": "2 cores"}}}]}}}]}),
    # --- Flyte 2 extended resources
    ("apple-silicon-named-elsewhere", ("flyte2",),
     {"worker_node_config": [{"group_name": "w", "replicas": 1,
                              "requests": {"gpu": "AppleSilicon:1"},
                              "ray_start_params": {"deviceClass": "APPLE_SILICON"}}],
      "head_node_config": {"requests": {"gpu": "AppleSilicon", "shm": "auto"},
                           "pod_template": {"labels": {"deviceClass": "APPLE_SILICON"}}}}),
    ("gpu-device-partition-shm", ("flyte2",),
     {"worker_node_config": [{"group_name": "w", "replicas": 1,
                              "requests": {"gpu": {"GPU": {"device": "H100", "quantity": 2,
                                                           "partition": "1g.10gb"}},
                                           "shm": "8Gi", "cpu": 4}},
                             {"group_name": "t", "replicas": 1,
                              "requests": {"gpu": {"TPU": {"device": "V5P", "partition": "2x2x1"}}}},
                             {"group_name": "n", "replicas": 1,
                              "requests": {"gpu": 2}}]}),
]


def main():
    ref, example = sys.argv[1], sys.argv[2]
    sys.path.insert(0, ref)
    import yaml

    import gen_task_golden as g

    with open(example, encoding="utf-8") as f:
        ex = yaml.safe_load(f)
    out = [g.run_case(f"extra-{SDK}-example", None, ex)]
    for name, sdks, doc in DOCS:
        if SDK in sdks:
            out.append(g.run_case(f"extra-{SDK}-{name}", None, doc))
    for case in out:
        sys.stdout.write(g.dump_line(case))


if __name__ == "__main__":
    main()
