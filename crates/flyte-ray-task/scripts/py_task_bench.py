#!/usr/bin/env python3
"""Times the Python SDKs' task layer on a RayJobConfig document, in the style
of ../shared/reference/py_bench.py, under the names of the Rust benchmark
(crates/flyte-ray-task/benches/build.rs). Prints one JSON object, nanoseconds
per operation: {"get_custom/<sdk>": ns, "document_to_custom/<sdk>": ns}.

  get_custom          the SDK call alone on a declared task: flytekit's
                      RayFunctionTask.get_custom(settings) or Flyte 2's
                      RayFunctionTask.custom_config(sctx), returning the dict
  document_to_custom  the document text read (PyYAML, its C loader when
                      built with libyaml), the config objects built (as
                      gen_task_golden.py builds them), the task declared,
                      then that call

usage (in the SDK's environment, see ../shared/reference/setup_task.sh):
  GEN_TASK_SDK=flytekit VENV/bin/python py_task_bench.py REFERENCE_DIR CONFIG.yaml [seconds]
  GEN_TASK_SDK=flyte2   VENV/bin/python py_task_bench.py REFERENCE_DIR CONFIG.yaml [seconds]
REFERENCE_DIR holds gen_task_golden.py (its document-to-objects code is reused).
Before timing, the custom of each path is checked to be the same dict."""
import json
import os
import sys
import time


def per_op(fn, budget):
    n, t0 = 0, time.perf_counter()
    while True:
        for _ in range(10):
            fn()
        n += 10
        dt = time.perf_counter() - t0
        if dt > budget:
            return dt / n * 1e9


def main():
    ref, path = sys.argv[1], sys.argv[2]
    budget = float(sys.argv[3]) if len(sys.argv) > 3 else 1.0
    sys.path.insert(0, ref)
    import yaml

    import gen_task_golden as g

    sdk = g.SDK
    with open(path, encoding="utf-8") as f:
        text = f.read()
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    doc = json.loads(json.dumps(yaml.load(text, Loader=loader)))
    if sdk == "flytekit":
        cfg, _ = g.build_config(doc)
        t = g.task(task_config=cfg)(g.t1)
        call = lambda: t.get_custom(g.SETTINGS)  # noqa: E731
    else:
        cfg, reuse = g.build_config(doc)
        env = g.flyte.TaskEnvironment(name="ray_env", plugin_config=cfg)

        @env.task
        async def my_ray_task() -> int:
            return 1

        call = lambda: my_ray_task.custom_config(g.SCTX)  # noqa: E731
    def document_to_custom():
        return g.sdk_custom(yaml.load(text, Loader=loader))

    if call() != document_to_custom():
        sys.exit("the two paths give different custom dicts")
    res = {
        f"get_custom/{sdk}": per_op(call, budget),
        f"document_to_custom/{sdk}": per_op(document_to_custom, budget),
    }
    print(json.dumps(res))


if __name__ == "__main__":
    main()
