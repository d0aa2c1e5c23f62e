//! Checks of the rendered RayJob that KubeRay's operator (RENDERING.md
//! §15.3) or the API server's list-map rules (§15.1) would fail, reported
//! as error findings with the path in the resource.

use std::collections::BTreeSet;

use serde_json::Value;

use crate::finding::Finding;
use crate::pod::At;
use crate::render::Ctx;

/// Every pod template of the RayJob, with its path.
fn templates(cr: &Value) -> Vec<(String, &Value)> {
    let mut out = Vec::new();
    if let Some(t) = cr.at("/spec/rayClusterSpec/headGroupSpec/template") {
        out.push(("spec.rayClusterSpec.headGroupSpec.template".to_owned(), t));
    }
    for (i, g) in cr
        .at("/spec/rayClusterSpec/workerGroupSpecs")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .enumerate()
    {
        if let Some(t) = g.get("template") {
            out.push((
                format!("spec.rayClusterSpec.workerGroupSpecs[{i}].template"),
                t,
            ));
        }
    }
    if let Some(t) = cr.at("/spec/submitterPodTemplate") {
        out.push(("spec.submitterPodTemplate".to_owned(), t));
    }
    out
}

pub(crate) fn check(cr: &Value, ctx: &mut Ctx<'_>) {
    let name = cr
        .at("/metadata/name")
        .and_then(Value::as_str)
        .unwrap_or_default();
    if name.len() > 47 {
        ctx.findings.push(Finding::error(
            "name-too-long",
            "metadata.name",
            format!(
                "{name:?} is {} characters; KubeRay allows at most 47",
                name.len()
            ),
        ));
    }
    if let Err(e) = flyte_ray_k8s::is_dns1035_label(name) {
        ctx.findings.push(Finding::error(
            "name-not-dns1035",
            "metadata.name",
            format!("{name:?}: KubeRay requires a DNS-1035 label: {e}"),
        ));
    }
    for (path, t) in templates(cr) {
        for key in ["containers", "initContainers"] {
            for (ci, c) in t
                .at(&format!("/spec/{key}"))
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .enumerate()
            {
                let cpath = format!("{path}.spec.{key}[{ci}]");
                let mut seen = BTreeSet::new();
                for e in c.get("env").and_then(Value::as_array).into_iter().flatten() {
                    let n = e.get("name").and_then(Value::as_str).unwrap_or_default();
                    if !seen.insert(n.to_owned()) {
                        ctx.findings.push(Finding::error(
                            "duplicate-env",
                            format!("{cpath}.env"),
                            format!("env {n:?} appears twice; the API server rejects duplicate names (env is a list-map keyed by name)"),
                        ));
                    }
                }
                let mut seen = BTreeSet::new();
                for p in c
                    .get("ports")
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                {
                    let port = p.get("containerPort").and_then(Value::as_i64).unwrap_or(0);
                    let proto = p.get("protocol").and_then(Value::as_str).unwrap_or("TCP");
                    if !seen.insert((port, proto.to_owned())) {
                        ctx.findings.push(Finding::error(
                            "duplicate-port",
                            format!("{cpath}.ports"),
                            format!("port {port}/{proto} appears twice; the API server rejects duplicates (ports are keyed by containerPort and protocol)"),
                        ));
                    }
                }
            }
        }
    }
    let groups = std::iter::once((
        "custom.rayCluster.headGroupSpec.rayStartParams".to_owned(),
        cr.at("/spec/rayClusterSpec/headGroupSpec/rayStartParams"),
    ))
    .chain(
        cr.at("/spec/rayClusterSpec/workerGroupSpecs")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .enumerate()
            .map(|(i, g)| {
                (
                    format!("custom.rayCluster.workerGroupSpec[{i}].rayStartParams"),
                    g.get("rayStartParams"),
                )
            }),
    );
    for (path, params) in groups {
        if params.and_then(|p| p.get("labels")).is_some() {
            ctx.findings.push(Finding::error(
                "ray-start-param-labels",
                format!("{path}.labels"),
                "Flyte passes rayStartParams[\"labels\"] through, but KubeRay rejects it (use the group labels)",
            ));
        }
    }
    let autoscaling = cr
        .at("/spec/rayClusterSpec/enableInTreeAutoscaling")
        .and_then(Value::as_bool)
        .unwrap_or(false);
    let v2_env = cr
        .at("/spec/rayClusterSpec/headGroupSpec/template/spec/containers/0/env")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .find(|e| e.get("name").and_then(Value::as_str) == Some("RAY_enable_autoscaler_v2"))
        .and_then(|e| e.get("value").and_then(Value::as_str))
        .map(str::to_owned);
    if !autoscaling && matches!(v2_env.as_deref(), Some("1" | "true")) {
        ctx.findings.push(Finding::error(
            "autoscaler-v2-without-autoscaling",
            "custom.rayCluster.enableAutoscaling",
            "RAY_enable_autoscaler_v2 is set in the head container while autoscaling is off: KubeRay rejects this",
        ));
    }
    if let Some(y) = cr.at("/spec/runtimeEnvYAML").and_then(Value::as_str)
        && let Err(e) = serde_yaml_ng::from_str::<serde_yaml_ng::Value>(y)
    {
        ctx.findings.push(Finding::error(
            "runtime-env-yaml-invalid",
            "custom.runtimeEnvYaml",
            format!("KubeRay requires runtimeEnvYAML to be YAML: {e}"),
        ));
    }
}

/// The renderer's own finding that already reports what KubeRay's operator
/// rule `rule` found (with the input path that caused it), so that one
/// problem is reported once. Schema findings (`schema.*`) are always kept:
/// they are the complete CRD verdict, where the renderer's findings name
/// the cause in the input (an unknown `upscalingMode` is both
/// `autoscaler-upscaling-mode-empty` at `custom.…` and `schema.enum` at
/// `spec.…`).
fn reported_as(rule: &str) -> Option<&'static str> {
    use flyte_ray_kuberay_api::operator;
    Some(match rule {
        operator::NAME_TOO_LONG => "name-too-long",
        operator::NAME_NOT_DNS1035 => "name-not-dns1035",
        operator::TTL_WITHOUT_SHUTDOWN => "ttl-without-shutdown",
        operator::START_PARAMS_LABELS => "ray-start-param-labels",
        operator::AUTOSCALER_V2_WITHOUT_AUTOSCALING => "autoscaler-v2-without-autoscaling",
        operator::RUNTIME_ENV_YAML => "runtime-env-yaml-invalid",
        _ => return None,
    })
}

/// The rendered RayJob through KubeRay v1.5.1's CRD schema and operator
/// rules (`flyte_ray_kuberay_api::check`): each finding is added with its
/// rule id as code (`schema.*`, `kuberay.*`) and its path in the resource,
/// unless it is an operator rule the renderer has already reported.
pub(crate) fn crd(cr: &Value, ctx: &mut Ctx<'_>) {
    for f in flyte_ray_kuberay_api::check(cr) {
        if reported_as(f.rule).is_some_and(|code| ctx.findings.iter().any(|g| g.code == code)) {
            continue;
        }
        ctx.findings.push(Finding::from_crd(f));
    }
}
