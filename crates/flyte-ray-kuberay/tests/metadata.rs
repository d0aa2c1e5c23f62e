//! The labels and annotations the plugin sees (RENDERING.md §3.3): the
//! secrets of `securityContext.secrets` as `flyte.secrets/s<i>` annotations
//! plus the `inject-flyte-secrets` label, and the sanitized
//! `execution-identity` label, on the head, worker and submitter templates
//! and the CR.

#![allow(clippy::unwrap_used)]

use flyte_ray_kuberay::{
    ExecutionMetadata, PluginConfig, RenderError, RenderOptions, TaskTemplate,
};
use serde_json::{Value, json};

mod support;

fn task(security_context: Value) -> TaskTemplate {
    TaskTemplate::from_value(&json!({
        "type": "ray",
        "container": {"image": "image://", "args": ["test-args"]},
        "custom": {"rayCluster": {"workerGroupSpec": [{"groupName": "w", "replicas": 1}]}},
        "securityContext": security_context,
    }))
    .unwrap()
}

/// The four places the plugin's metadata goes (§9): head, worker and
/// submitter templates, and the CR.
fn places(doc: &Value) -> [(&'static str, &Value); 4] {
    let spec = &doc["spec"];
    [
        (
            "head",
            &spec["rayClusterSpec"]["headGroupSpec"]["template"]["metadata"],
        ),
        (
            "worker",
            &spec["rayClusterSpec"]["workerGroupSpecs"][0]["template"]["metadata"],
        ),
        ("submitter", &spec["submitterPodTemplate"]["metadata"]),
        ("cr", &doc["metadata"]),
    ]
}

/// Expected annotation values: golang/protobuf v1.5.4's
/// `proto.MarshalTextString` of each `core.Secret` (one `name: value` line
/// per set field, in declaration order; ANY = 0 and empty strings unset),
/// base32-encoded with Flyte's alphabet and no padding. The base32 was
/// computed independently with Python:
/// `base64.b32encode(text).translate(bytes.maketrans(b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", b"abcdefghijklmnopqrstuvwxyz123456")).rstrip(b"=")`.
const S0_TEXT: &str = "group: \"my-group\"\nkey: \"my-key\"\nmount_requirement: ENV_VAR\n";
const S0: &str = "m4zg54lqhiqce2lzfvtxe22voarau12fpe4caitnpewwwzlzeifg122vnz1f53tfof1ws3tfnvsw34b1ebcu3vs6kzavecq";
const S1_TEXT: &str = "key: \"api_token\"\nmount_requirement: FILE\n";
const S1: &str = "nnsxsoraejqxa1k6orxwwzloeifg122vnz1f53tfof1ws3tfnvsw34b1ebdestcfbi";

#[test]
fn secrets_become_annotations_and_a_label() {
    let t = task(json!({
        "secrets": [
            {"group": "my-group", "key": "my-key", "mountRequirement": "ENV_VAR"},
            // proto names and an enum number are accepted as jsonpb accepts them.
            {"key": "api_token", "mount_requirement": 2, "group_version": ""},
        ],
        "runAs": {"executionIdentity": "Jane.Doe@Example.com"},
    }));
    // Unpadded base32: ceil(8n/5) characters.
    assert_eq!(
        (S0.len(), S1.len()),
        (
            (S0_TEXT.len() * 8).div_ceil(5),
            (S1_TEXT.len() * 8).div_ceil(5)
        )
    );
    let mut m = ExecutionMetadata::default();
    m.labels.insert("team".to_owned(), "ml".to_owned());
    // The secrets map is unioned after the execution's annotations: it wins.
    m.annotations
        .insert("flyte.secrets/s0".to_owned(), "stale".to_owned());
    m.annotations.insert("note".to_owned(), "kept".to_owned());
    let r = flyte_ray_kuberay::render(&t, &m, &PluginConfig::default(), &RenderOptions::default())
        .unwrap();
    support::assert_valid(&r, "secrets case");
    for (place, meta) in places(r.json()) {
        let a = &meta["annotations"];
        assert_eq!(a["flyte.secrets/s0"], S0, "{place}");
        assert_eq!(a["flyte.secrets/s1"], S1, "{place}");
        assert_eq!(a["note"], "kept", "{place}");
        let l = &meta["labels"];
        assert_eq!(l["inject-flyte-secrets"], "true", "{place}");
        assert_eq!(l["team"], "ml", "{place}");
        // SanitizeLabelValue: lowercased, runs outside [-a-z0-9] → '-'.
        assert_eq!(l["execution-identity"], "jane-doe-example-com", "{place}");
    }
}

#[test]
fn no_secrets_no_annotations() {
    let t = task(json!({"secrets": []}));
    let r = flyte_ray_kuberay::render(
        &t,
        &ExecutionMetadata::default(),
        &PluginConfig::default(),
        &RenderOptions::default(),
    )
    .unwrap();
    for (place, meta) in places(r.json()) {
        let has = |k: &str, prefix: &str| {
            meta[k]
                .as_object()
                .is_some_and(|o| o.keys().any(|key| key.starts_with(prefix)))
        };
        assert!(!has("annotations", "flyte.secrets/"), "{place}");
        assert!(!has("labels", "inject-flyte-secrets"), "{place}");
        assert!(!has("labels", "execution-identity"), "{place}");
    }
}

/// The execution's identity (the execution's security context) wins over
/// the task template's, which is only the default.
#[test]
fn execution_identity_of_the_execution() {
    let t = task(json!({"runAs": {"executionIdentity": "from-template"}}));
    let mut m = ExecutionMetadata::default();
    m.execution_identity = Some("From_Execution".to_owned());
    let r = flyte_ray_kuberay::render(&t, &m, &PluginConfig::default(), &RenderOptions::default())
        .unwrap();
    assert_eq!(
        r.json()["metadata"]["labels"]["execution-identity"],
        "from-execution"
    );
}

/// `MarshalSecretsToMapStrings` refuses a mount requirement that is not a
/// `MountType` (`invalid mount requirement [7]`); a value that is not proto
/// JSON of a Secret is refused with its path.
#[test]
fn bad_secrets_are_errors() {
    let cases = [
        (
            json!({"mountRequirement": 7}),
            "securityContext.secrets[0].mountRequirement: invalid mount requirement [7]",
        ),
        (
            json!({"mountRequirement": "SOMETIMES"}),
            "securityContext.secrets[0].mountRequirement: unknown mount requirement \"SOMETIMES\" (ANY, ENV_VAR or FILE)",
        ),
        (
            json!({"key": ["k"]}),
            "securityContext.secrets[0].key: expected a string, got [\"k\"]",
        ),
    ];
    for (secret, message) in cases {
        let t = task(json!({"secrets": [secret]}));
        let e = flyte_ray_kuberay::render(
            &t,
            &ExecutionMetadata::default(),
            &PluginConfig::default(),
            &RenderOptions::default(),
        )
        .unwrap_err();
        assert!(matches!(e, RenderError::Secret { .. }), "{e:?}");
        assert_eq!(e.to_string(), message);
    }
}
