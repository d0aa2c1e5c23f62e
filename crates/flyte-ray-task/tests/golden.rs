//! Every golden-task case through the library: the same `custom` (JSON,
//! numbers compared numerically), the same bytes as `pb_hex`, or the same
//! error type and message.

#[path = "support/golden.rs"]
mod golden;

use flyte_ray_models::FlyteIdlEntity as _;
use flyte_ray_task::{BuildError, Sdk, build_str};

fn sdk_of(s: &str) -> Sdk {
    match s {
        "flytekit" => Sdk::Flytekit,
        _ => Sdk::Flyte2,
    }
}

/// Runs one case; `Err` says what differs.
fn check(case: &golden::Case) -> Result<(), String> {
    let sdk = sdk_of(&case.sdk);
    let result = build_str(case.config.get(), sdk);
    if let Some((path, message)) = golden::refused_on_purpose(&case.id) {
        // The SDK built it (a custom is recorded); we refuse the document.
        if case.custom.is_none() {
            return Err("refused on purpose, but the SDK did not build it".into());
        }
        return match result {
            Err(BuildError::Config(flyte_ray_task::ConfigError::Invalid {
                path: p,
                message: m,
            })) if p == path && m.starts_with(message) => Ok(()),
            other => Err(format!("want {path}: {message}..., got {other:?}")),
        };
    }
    match (&case.error, result) {
        (None, Ok(built)) => {
            let want = case.custom.as_ref().ok_or("no custom")?;
            let got: serde_json::Value =
                serde_json::from_str(&built.custom_json().map_err(|e| e.to_string())?)
                    .map_err(|e| e.to_string())?;
            if let Some(d) = golden::json_diff(want, &got, "custom") {
                return Err(d);
            }
            let hex = hex::encode(built.to_bytes());
            if Some(&hex) != case.pb_hex.as_ref() {
                return Err(format!("bytes differ: {hex}"));
            }
            // The invariants of the fuzz target hold on every golden spec.
            flyte_ray_task::testing::check_built(&built)
        }
        (Some(e), Err(BuildError::Sdk(got))) => {
            if got.kind.as_str() != e.kind || got.message != e.message {
                return Err(format!(
                    "error differs: want {}: {} got {}: {}",
                    e.kind, e.message, got.kind, got.message
                ));
            }
            if e.code.as_deref() != got.code {
                return Err(format!("code differs: {:?} vs {:?}", e.code, got.code));
            }
            Ok(())
        }
        (Some(e), Ok(_)) => Err(format!("expected {}: {}, built fine", e.kind, e.message)),
        (_, Err(other)) => Err(format!("unexpected error: {other}")),
    }
}

#[test]
fn golden_cases_through_the_library() {
    let cases = golden::cases();
    assert_eq!(cases.len(), 617);
    let only = std::env::var("GOLDEN_SDK").ok();
    let mut failures = Vec::new();
    let mut passed = 0;
    for case in &cases {
        if only.as_deref().is_some_and(|o| o != case.sdk) {
            continue;
        }
        match check(case) {
            Ok(()) => passed += 1,
            Err(e) => failures.push(format!("{} ({:?}): {e}", case.id, case.kind)),
        }
    }
    for f in failures.iter().take(400) {
        eprintln!("{f}");
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases differ",
        failures.len(),
        passed + failures.len()
    );
}

#[test]
fn extra_cases_through_the_library() {
    let cases = golden::extra_cases();
    assert_eq!(cases.len(), 34);
    let failures: Vec<String> = cases
        .iter()
        .filter_map(|c| check(c).err().map(|e| format!("{}: {e}", c.id)))
        .collect();
    assert!(failures.is_empty(), "{failures:#?}");
}

/// The warnings each hand-written document must give, as `(rule, path)`,
/// sorted. Each is reasoned from what the SDK does with the document (and
/// its `custom` in `extra.jsonl` shows it doing so); a document not listed
/// must give none.
fn expected_warnings(id: &str) -> Vec<(&'static str, &'static str)> {
    let mut w = match id {
        // flytekit builds every node of the example from its requests and
        // limits: each pod has one container `ray-head`/`ray-worker` but
        // primaryContainerName "primary"; gpu-workers' template is dropped
        // (its custom has no image, labels or tolerations). min_replicas 0
        // below replicas and max_replicas above it are not clamped; the ttl
        // comes with shutdown; the autoscaler is enabled.
        "extra-flytekit-example" => vec![
            ("primary-container-name-mismatch", "head_node_config"),
            ("primary-container-name-mismatch", "worker_node_config[0]"),
            ("primary-container-name-mismatch", "worker_node_config[1]"),
            ("pod-template-dropped", "worker_node_config[1].pod_template"),
        ],
        // Flyte 2 names the containers as the primary, and merges
        // gpu-workers' requests into its template's ray-worker container.
        "extra-flyte2-example" => vec![(
            "resources-merged-into-template",
            "worker_node_config[1].pod_template",
        )],
        // The custom has no trace of the address.
        "extra-flytekit-address" | "extra-flyte2-address" => {
            vec![("address-not-serialized", "address")]
        }
        // ttlSecondsAfterFinished is written, but KubeRay reads it only with
        // shutdownAfterJobFinishes, which is false.
        "extra-flytekit-ttl-without-shutdown" | "extra-flyte2-ttl-without-shutdown" => {
            vec![("ttl-without-shutdown", "ttl_seconds_after_finished")]
        }
        // autoscalerOptions is written with enableAutoscaling false.
        "extra-flytekit-autoscaler-without-autoscaling"
        | "extra-flyte2-autoscaler-without-autoscaling" => vec![(
            "autoscaler-options-without-autoscaling",
            "autoscaler_options",
        )],
        // `{}` is falsy: no runtimeEnv in custom although the user wrote
        // one (null is "not written" and gives no warning).
        "extra-flytekit-runtime-env-empty" | "extra-flyte2-runtime-env-empty" => {
            vec![("runtime-env-empty", "runtime_env")]
        }
        // requests with a template: flytekit drops the template (labels and
        // image are absent from custom) and names the container ray-worker.
        "extra-flytekit-pod-template-dropped" => vec![
            ("pod-template-dropped", "worker_node_config[0].pod_template"),
            ("primary-container-name-mismatch", "worker_node_config[0]"),
        ],
        "extra-flytekit-primary-name-mismatch-head" => {
            vec![("primary-container-name-mismatch", "head_node_config")]
        }
        // flytekit writes min 3 and max 3 for min 5 and max 1; Flyte 2
        // writes them as given (no warning: nothing is changed).
        "extra-flytekit-replicas-clamped" => vec![
            ("min-replicas-clamped", "worker_node_config[0].min_replicas"),
            ("max-replicas-clamped", "worker_node_config[0].max_replicas"),
        ],
        // The template's requests memory stays, its cpu is replaced by 2.
        "extra-flyte2-resources-merged" => vec![(
            "resources-merged-into-template",
            "worker_node_config[0].pod_template",
        )],
        // The only container `main` is the target; its claims are gone
        // from custom.
        "extra-flyte2-resource-claims-dropped" => vec![
            (
                "resources-merged-into-template",
                "head_node_config.pod_template",
            ),
            (
                "resource-claims-dropped",
                "head_node_config.pod_template.pod_spec.containers[0].resources.claims",
            ),
        ],
        // No extendedResources in custom: the A100 in limits selects none
        // (with the same device in requests, it is selected: no warning).
        "extra-flyte2-accelerator-in-limits" => vec![(
            "accelerator-in-limits-ignored",
            "worker_node_config[0].limits.gpu",
        )],
        // No sharedMemory in custom.
        "extra-flyte2-shm-in-limits" => {
            vec![("shm-in-limits-ignored", "head_node_config.limits.shm")]
        }
        // The autoscaler's resources hold the cpu only.
        "extra-flyte2-autoscaler-shm" => {
            vec![("autoscaler-shm-ignored", "autoscaler_options.resources.shm")]
        }
        // Strings that are not Kubernetes quantities, which flytekit copies
        // into the pods and the autoscaler's resources as they are (its
        // custom holds "2 cores", "1GB", "T4:1", "lots", "one"); "4" and the
        // number 2 are quantities. Both pods are built from resources.
        "extra-flytekit-bad-quantity" => vec![
            ("primary-container-name-mismatch", "head_node_config"),
            ("primary-container-name-mismatch", "worker_node_config[0]"),
            (
                "resource-quantity-invalid",
                "head_node_config.limits.ephemeral_storage",
            ),
            (
                "resource-quantity-invalid",
                "worker_node_config[0].requests.cpu",
            ),
            (
                "resource-quantity-invalid",
                "worker_node_config[0].requests.mem",
            ),
            (
                "resource-quantity-invalid",
                "worker_node_config[0].limits.gpu",
            ),
            (
                "resource-quantity-invalid",
                "autoscaler_options.requests.cpu",
            ),
        ],
        // Flyte 2 copies "2 cores", "1GB", "lots" into the pod, "big" into
        // sharedMemory.sizeLimit, "2 cores" (the pair's limit) and "1 Gi"
        // into the autoscaler's resources. The gpu "T4:1" becomes "1" and
        // an accelerator; shm in limits and in the autoscaler is ignored
        // (their own warnings), so its text is never a quantity.
        "extra-flyte2-bad-quantity" => vec![
            ("resource-quantity-invalid", "head_node_config.requests.shm"),
            (
                "resource-quantity-invalid",
                "worker_node_config[0].requests.cpu",
            ),
            (
                "resource-quantity-invalid",
                "worker_node_config[0].requests.memory",
            ),
            (
                "resource-quantity-invalid",
                "worker_node_config[0].limits.disk",
            ),
            (
                "resource-quantity-invalid",
                "autoscaler_options.resources.cpu[1]",
            ),
            (
                "resource-quantity-invalid",
                "autoscaler_options.resources.memory",
            ),
            ("shm-in-limits-ignored", "head_node_config.limits.shm"),
            ("autoscaler-shm-ignored", "autoscaler_options.resources.shm"),
        ],
        _ => vec![],
    };
    w.sort_unstable();
    w
}

#[test]
fn warnings_of_the_extra_cases() {
    let mut failures = Vec::new();
    for case in golden::extra_cases() {
        if golden::refused_on_purpose(&case.id).is_some() {
            continue;
        }
        let built = match build_str(case.config.get(), sdk_of(&case.sdk)) {
            Ok(b) => b,
            Err(e) => {
                failures.push(format!("{}: {e}", case.id));
                continue;
            }
        };
        let mut got: Vec<(&str, &str)> = built
            .warnings
            .iter()
            .map(|w| (w.rule, w.path.as_str()))
            .collect();
        got.sort_unstable();
        let want = expected_warnings(&case.id);
        if got != want {
            failures.push(format!("{}: want {want:?}, got {got:?}", case.id));
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
}

/// Every rule of docs/TASK_LAYER.md's warnings table is proven by at least
/// one hand-written document above.
#[test]
fn every_warning_rule_is_exercised() {
    let doc = include_str!("../../../docs/TASK_LAYER.md");
    let table = doc
        .split("## Warnings")
        .nth(1)
        .and_then(|s| s.split("\n## ").next())
        .expect("a Warnings section");
    let rules: Vec<&str> = table
        .lines()
        .filter(|l| l.starts_with("| `"))
        .flat_map(|l| l.split('|').nth(1).unwrap_or_default().split('/'))
        .map(|r| r.trim().trim_matches('`'))
        .collect();
    assert!(rules.len() >= 13, "{rules:?}");
    let exercised: Vec<&str> = golden::extra_cases()
        .iter()
        .flat_map(|c| expected_warnings(&c.id))
        .map(|(r, _)| r)
        .collect();
    for r in rules {
        assert!(exercised.contains(&r), "rule {r} has no test document");
    }
}

/// flyte 2.12.1 pins flyteidl2 2.0.51, which has no name for the device
/// class 5 (AppleSilicon), so its custom (extra.jsonl) holds the number;
/// the YAML and text forms print the number too, and only the accelerator's
/// field changes: the label and the ray start parameter of the same text
/// stay strings.
#[test]
fn apple_silicon_device_class_is_a_number_in_every_form() {
    let case = golden::extra_cases()
        .into_iter()
        .find(|c| c.id == "extra-flyte2-apple-silicon-named-elsewhere")
        .expect("case");
    let built = build_str(case.config.get(), Sdk::Flyte2).expect("builds");
    let json = built.custom_json().expect("json");
    assert_eq!(json.matches(r#""deviceClass":5"#).count(), 2, "{json}");
    assert_eq!(
        json.matches(r#""deviceClass":"APPLE_SILICON""#).count(),
        2,
        "{json}"
    );
    let yaml = built.to_yaml().expect("yaml");
    assert_eq!(yaml.matches("deviceClass: 5\n").count(), 2, "{yaml}");
    assert_eq!(
        yaml.matches("deviceClass: APPLE_SILICON\n").count(),
        2,
        "{yaml}"
    );
    let from_yaml = flyte_ray_models::RayJob::from_yaml(&yaml).expect("yaml reads back");
    assert_eq!(from_yaml, built.job);
    let text = built.text_format();
    assert_eq!(text.matches("device_class: 5\n").count(), 2, "{text}");
    assert!(!text.contains("device_class: APPLE_SILICON"), "{text}");
    // Without the AppleSilicon class, the names are printed.
    let case = golden::extra_cases()
        .into_iter()
        .find(|c| c.id == "extra-flyte2-gpu-device-partition-shm")
        .expect("case");
    let built = build_str(case.config.get(), Sdk::Flyte2).expect("builds");
    assert!(
        built
            .to_yaml()
            .expect("yaml")
            .contains("deviceClass: GOOGLE_TPU\n")
    );
    assert!(built.text_format().contains("device_class: GOOGLE_TPU\n"));
}
