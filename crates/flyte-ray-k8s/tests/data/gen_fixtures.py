#!/usr/bin/env python3
"""Regenerate the reference fixtures of flyte-ray-k8s from the real flytekit.

Run with a Python that has flytekit 1.16.31 and the `kubernetes` client:

    /tmp/flytekit-ref/bin/python crates/flyte-ray-k8s/tests/data/gen_fixtures.py

It writes, next to itself:

* struct_json.json             - google.protobuf.Struct <-> JSON (json_format.Parse / MessageToDict)
* pod_specs.json               - V1PodSpec -> ApiClient().sanitize_for_serialization
* pod_spec_from_resources.json - flytekit.core.resources.pod_spec_from_resources
* pod_templates.json           - K8sPod.from_pod_template / to_pod_template

Markers in struct_json inputs: the strings "__NaN__", "__Inf__", "__-Inf__" stand for
those doubles and "__NoKind__" for a Value with no kind set (none of them can be
written in JSON); such inputs are built value by value instead of parsed.
"""
import json
import math
import os

from google.protobuf import json_format, struct_pb2
from kubernetes.client import (
    ApiClient,
    V1Container,
    V1ContainerPort,
    V1EnvVar,
    V1PodSpec,
    V1ResourceRequirements,
    V1Toleration,
    V1Volume,
    V1VolumeMount,
    V1EmptyDirVolumeSource,
    V1LocalObjectReference,
    V1Affinity,
    V1NodeAffinity,
    V1NodeSelector,
    V1NodeSelectorTerm,
    V1NodeSelectorRequirement,
    V1PodSecurityContext,
)

from flytekit.core.pod_template import PodTemplate
from flytekit.core.resources import Resources, pod_spec_from_resources
from flytekit.models.task import K8sPod

HERE = os.path.dirname(os.path.abspath(__file__))
MARKERS = {"__NaN__": float("nan"), "__Inf__": float("inf"), "__-Inf__": float("-inf")}


def write(name, data):
    with open(os.path.join(HERE, name), "w", encoding="utf-8") as f:
        json.dump(data, f, indent=1, ensure_ascii=False, sort_keys=True)
        f.write("\n")


def has_marker(v):
    if isinstance(v, str):
        return v in MARKERS or v == "__NoKind__"
    if isinstance(v, list):
        return any(has_marker(x) for x in v)
    if isinstance(v, dict):
        return any(has_marker(x) for x in v.values())
    return False


def build_value(v, out):
    if v == "__NoKind__":
        out.Clear()
    elif isinstance(v, str) and v in MARKERS:
        out.number_value = MARKERS[v]
    elif v is None:
        out.null_value = 0
    elif isinstance(v, bool):
        out.bool_value = v
    elif isinstance(v, (int, float)):
        out.number_value = v
    elif isinstance(v, str):
        out.string_value = v
    elif isinstance(v, list):
        out.list_value.SetInParent()
        for x in v:
            build_value(x, out.list_value.values.add())
    else:
        out.struct_value.SetInParent()
        for k, x in v.items():
            build_value(x, out.struct_value.fields[k])


# ---------------------------------------------------------------- part 1
STRUCT_CASES = [
    ("empty", "{}"),
    ("scalars", '{"s": "x", "t": true, "f": false, "n": null, "i": 3, "d": 2.5}'),
    ("int-2^53+1", '{"a": 9007199254740993}'),
    ("int-2^53", '{"a": 9007199254740992}'),
    ("int-2^63", '{"a": 9223372036854775808}'),
    ("neg-zero", '{"z": -0.0, "zero": 0.0, "zi": 0}'),
    ("prefix-keys", '{"a": 1, "ab": 2, "abc": {"x": 1, "xy": 2}}'),
    ("extremes", '{"max": 1.7976931348623157e308, "min": 5e-324, "neg": -1e-300, "big": 1e300}'),
    ("fraction", '{"third": 0.3333333333333333, "tenth": 0.1}'),
    ("nested-lists", '{"l": [[], [1, [2, [3, []]]], [{}], [null, true, "x"]]}'),
    ("nested-objects", '{"a": {"b": {"c": {"d": {"e": {}}}}}}'),
    ("unicode-keys", '{"é": 1, "日本": "語", "emoji 😀": [1], "": "empty key", "a.b": {"[0]": 1}}'),
    ("control-chars", '{"k\\n\\t": "v\\u0000\\u001f\\"\\\\", "\\u007f": "\\u2028"}'),
    ("pod-spec", '{"containers": [{"name": "primary", "ports": [{"containerPort": 8080}],'
                 ' "resources": {"limits": {"cpu": "1", "memory": 1024}}}], "terminationGracePeriodSeconds": 30}'),
    ("deep-10", '{"a": ' * 10 + "1" + "}" * 10),
    # built value by value (not representable in JSON)
    ("nan-top", '{"x": "__NaN__"}'),
    ("nan-nested", '{"containers": [{"resources": {"limits": {"cpu": "__NaN__"}}}]}'),
    ("inf-in-list", '{"a": {"b": [1, 2, "__Inf__"]}}'),
    ("neg-inf", '{"a": "__-Inf__"}'),
    ("no-kind-top", '{"a": "__NoKind__", "b": 1}'),
    ("no-kind-nested", '{"a": [{"b": "__NoKind__"}, "__NoKind__"]}'),
    # not an object at the top
    ("top-list", "[1]"),
    ("top-number", "1"),
    ("top-null", "null"),
    ("top-string", '"s"'),
]


def gen_struct():
    out = []
    for cid, text in STRUCT_CASES:
        case = {"id": cid, "input": text}
        try:
            parsed = json.loads(text)
            s = struct_pb2.Struct()
            if isinstance(parsed, dict) and has_marker(parsed):
                for k, v in parsed.items():
                    build_value(v, s.fields[k])
            else:
                json_format.Parse(text, s)
            case["pb_hex"] = s.SerializeToString(deterministic=True).hex()
            case["expected"] = json.dumps(json_format.MessageToDict(s))
        except Exception as e:  # noqa: BLE001
            case["error"] = f"{type(e).__name__}: {e}"
        out.append(case)
    write("struct_json.json", out)


# ---------------------------------------------------------------- part 2
def sanitize(x):
    return ApiClient().sanitize_for_serialization(x)


POD_SPECS = {
    "empty-containers": V1PodSpec(containers=[]),
    "one-container": V1PodSpec(containers=[V1Container(name="primary", image="ray:2.9")]),
    "resources-strings": V1PodSpec(
        containers=[
            V1Container(
                name="primary",
                resources=V1ResourceRequirements(
                    requests={"cpu": "500m", "memory": "2Gi"}, limits={"cpu": "1", "nvidia.com/gpu": "1"}
                ),
            )
        ]
    ),
    "full": V1PodSpec(
        containers=[
            V1Container(
                name="ray-head",
                image="rayproject/ray:2.9.0",
                command=["ray", "start"],
                args=["--head", "--block"],
                env=[V1EnvVar(name="A", value="1"), V1EnvVar(name="B", value="")],
                ports=[V1ContainerPort(container_port=6379, name="gcs"), V1ContainerPort(container_port=8265)],
                volume_mounts=[V1VolumeMount(name="shm", mount_path="/dev/shm")],
                resources=V1ResourceRequirements(limits={"cpu": "2", "memory": "4Gi"}),
            ),
            V1Container(name="sidecar", image="busybox"),
        ],
        init_containers=[V1Container(name="init", image="busybox", command=["true"])],
        volumes=[V1Volume(name="shm", empty_dir=V1EmptyDirVolumeSource(medium="Memory", size_limit="1Gi"))],
        tolerations=[V1Toleration(key="gpu", operator="Exists", effect="NoSchedule")],
        node_selector={"disktype": "ssd"},
        service_account_name="ray",
        termination_grace_period_seconds=30,
        restart_policy="Never",
        host_network=False,
        image_pull_secrets=[V1LocalObjectReference(name="regcred")],
        security_context=V1PodSecurityContext(run_as_user=1000, run_as_non_root=True, fs_group=2000),
        affinity=V1Affinity(
            node_affinity=V1NodeAffinity(
                required_during_scheduling_ignored_during_execution=V1NodeSelector(
                    node_selector_terms=[
                        V1NodeSelectorTerm(
                            match_expressions=[
                                V1NodeSelectorRequirement(key="zone", operator="In", values=["a", "b"])
                            ]
                        )
                    ]
                )
            )
        ),
    ),
    "unicode": V1PodSpec(
        containers=[V1Container(name="primary", env=[V1EnvVar(name="GREETING", value="héllo 日本 😀\n\t\"")])],
        node_selector={"ключ": "значение"},
    ),
    "empty-lists": V1PodSpec(containers=[V1Container(name="c", args=[], env=[])], volumes=[]),
}


def gen_pod_specs():
    out = [{"id": k, "pod_spec": sanitize(v)} for k, v in POD_SPECS.items()]
    write("pod_specs.json", out)


# ---------------------------------------------------------------- part 3
R = Resources
RESOURCE_CASES = [
    ("both-none", "primary", None, None, None),
    ("requests-only", "primary", R(cpu="1", mem="2Gi"), None, None),
    ("limits-only", "primary", None, R(cpu="500m", mem="1Gi"), None),
    ("both", "primary", R(cpu="1", mem="1Gi"), R(cpu="2", mem="2Gi"), None),
    ("gpu-default-key", "primary", R(gpu="1"), None, None),
    ("gpu-custom-key", "main", R(gpu="2"), R(gpu="2"), "amd.com/gpu"),
    ("ephemeral-storage", "primary", R(ephemeral_storage="10Gi"), None, None),
    ("all-four", "ray-head", R(cpu="1", mem="1Gi", gpu="1", ephemeral_storage="1Gi"),
     R(cpu="2", mem="2Gi", gpu="1", ephemeral_storage="2Gi"), None),
    ("empty-requests-limits-set", "primary", R(), R(cpu="1"), None),
    ("requests-set-empty-limits", "primary", R(mem="1Gi"), R(), None),
    ("both-empty", "primary", R(), R(), None),
    ("empty-string-value", "primary", R(cpu=""), None, None),
    ("empty-container-name", "", R(cpu="1"), None, None),
    ("unicode-name", "primäry-😀", R(cpu="1"), None, "example.com/gpu"),
    ("gpu-empty-key", "primary", R(gpu="1"), None, ""),
    ("disjoint", "primary", R(cpu="1"), R(mem="1Gi"), None),
    ("empty-requests-no-limits", "primary", R(), None, None),
    ("no-requests-empty-limits", "primary", None, R(), None),
]


def res_dict(r):
    if r is None:
        return None
    return {k: getattr(r, k) for k in ("cpu", "mem", "gpu", "ephemeral_storage")}


def gen_resources():
    out = []
    for cid, name, req, lim, key in RESOURCE_CASES:
        kwargs = {}
        if key is not None:
            kwargs["k8s_gpu_resource_key"] = key
        spec = pod_spec_from_resources(primary_container_name=name, requests=req, limits=lim, **kwargs)
        out.append(
            {
                "id": cid,
                "primary_container_name": name,
                "requests": res_dict(req),
                "limits": res_dict(lim),
                "gpu_resource_key": key,
                "expected": sanitize(spec),
            }
        )
    write("pod_spec_from_resources.json", out)


# ---------------------------------------------------------------- part 4
def pt_cases():
    return [
        ("defaults", PodTemplate()),
        ("labels-only", PodTemplate(labels={"team": "ml", "app.kubernetes.io/name": "ray"})),
        ("annotations-only", PodTemplate(annotations={"example.com/note": "héllo", "empty": ""})),
        ("custom-primary", PodTemplate(pod_spec=POD_SPECS["one-container"], primary_container_name="ray-head")),
        ("full", PodTemplate(pod_spec=POD_SPECS["full"], primary_container_name="ray-head",
                             labels={"a": "1"}, annotations={"b": "2"})),
        ("empty-maps", PodTemplate(pod_spec=POD_SPECS["resources-strings"], labels={}, annotations={})),
        ("from-resources", PodTemplate(
            pod_spec=pod_spec_from_resources("primary", R(cpu="1", mem="1Gi"), None),
            labels={"x": "y"})),
        ("unicode", PodTemplate(pod_spec=POD_SPECS["unicode"], labels={"k": "v"}, annotations={"日本": "語"})),
    ]


def gen_pod_templates():
    out = []
    for cid, pt in pt_cases():
        k8s_pod = K8sPod.from_pod_template(pt)
        idl = k8s_pod.to_flyte_idl()
        back = K8sPod.from_flyte_idl(idl).to_pod_template()
        out.append(
            {
                "id": cid,
                "pod_template": {
                    "pod_spec": sanitize(pt.pod_spec),
                    "labels": pt.labels,
                    "annotations": pt.annotations,
                    "primary_container_name": pt.primary_container_name,
                },
                "k8s_pod_json": json_format.MessageToDict(idl),
                "k8s_pod_pb_hex": idl.SerializeToString(deterministic=True).hex(),
                "flytekit_to_pod_template": {
                    "pod_spec": back.pod_spec if isinstance(back.pod_spec, dict) else sanitize(back.pod_spec),
                    "labels": back.labels,
                    "annotations": back.annotations,
                    "primary_container_name": back.primary_container_name,
                },
            }
        )
    # flytekit's to_pod_template on a K8sPod without metadata crashes; recorded for the docs.
    try:
        K8sPod(pod_spec={"containers": []}).to_pod_template()
        crash = None
    except Exception as e:  # noqa: BLE001
        crash = f"{type(e).__name__}: {e}"
    write("pod_templates.json", {"cases": out, "to_pod_template_without_metadata": crash})


if __name__ == "__main__":
    gen_struct()
    gen_pod_specs()
    gen_resources()
    gen_pod_templates()
