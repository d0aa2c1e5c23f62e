//! `flyte-ray render`: the KubeRay RayJob Flyte's backend would submit for a
//! Ray task (`flyte-ray-kuberay`), on stdout; the findings on stderr.

use std::collections::BTreeMap;
use std::path::PathBuf;

use anyhow::{Context, Result, anyhow};
use clap::{Args, ValueEnum};
use flyte_ray_kuberay::{
    ExecutionMetadata, FlyteVersion, Identifier, PluginConfig, RenderOptions, Severity,
    TaskTemplate,
};

use crate::input::{UsageError, read_input};
use crate::{Outcome, write_stdout};

/// Shown after `flyte-ray render --help`.
pub(crate) const RENDER_HELP: &str = "\
Input:
  TASK, or stdin for `-` or none (at most 64 MiB): one Ray task as JSON or
  YAML: what `flytectl get task -o json` prints (an admin Task), a
  TaskTemplate, or a bare RayJob spec (the proto3 JSON mapping). The plugin
  configuration (--plugin-config) is Flyte's YAML.

Output:
  the KubeRay RayJob on stdout (-o yaml or json, ready for
  `kubectl apply -f -`); findings (KubeRay's CRD schema and Flyte's rules)
  on stderr, one line each with its severity.

Exit codes: 0 rendered (warnings allowed), 1 an error finding, a task that
cannot be rendered or unreadable input, 2 usage error.";

/// `flyte-ray render`.
#[derive(Debug, Args)]
pub(crate) struct RenderArgs {
    /// The task: `flytectl get task -o json` output, a bare TaskTemplate, or
    /// a bare RayJob spec (which gets a default flytekit container); JSON or
    /// YAML. `-` or nothing reads stdin.
    #[arg(value_name = "TASK")]
    task: Option<PathBuf>,

    /// Flyte's plugin configuration YAML (`plugins.ray`, `plugins.k8s`);
    /// default: upstream's defaults.
    #[arg(long, value_name = "FILE")]
    plugin_config: Option<PathBuf>,

    /// The execution id `PROJECT/DOMAIN/NAME` (default
    /// `flytesnacks/development/a1b2c3d4e5f6g7h8i9j0`).
    #[arg(long, value_name = "P/D/NAME")]
    execution_id: Option<String>,

    /// Namespace (default `<project>-<domain>`).
    #[arg(long, value_name = "NS")]
    namespace: Option<String>,

    /// Node id (default `n0`).
    #[arg(long, default_value = "n0")]
    node_id: String,

    /// Retry attempt (default 0).
    #[arg(long, default_value_t = 0)]
    retry_attempt: u32,

    /// The execution's service account (`GetK8sServiceAccount()`).
    #[arg(long, value_name = "SA")]
    service_account: Option<String>,

    /// Run as interruptible (default: the task metadata's flag).
    #[arg(long)]
    interruptible: bool,

    /// A label the plugin sees (`KEY=VALUE`, repeatable).
    #[arg(long, value_name = "KEY=VALUE")]
    label: Vec<String>,

    /// An annotation the plugin sees (`KEY=VALUE`, repeatable).
    #[arg(long, value_name = "KEY=VALUE")]
    annotation: Vec<String>,

    /// Output format.
    #[arg(short = 'o', long = "output", value_enum, default_value_t = RenderFormat::Yaml)]
    output: RenderFormat,

    /// Which Flyte backend to render as.
    #[arg(long, value_enum, default_value_t = Flyte::V1)]
    flyte: Flyte,
}

/// `-o`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum RenderFormat {
    /// YAML.
    Yaml,
    /// Indented JSON.
    Json,
}

/// `--flyte`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Flyte {
    /// Flyte v1 (flyteplugins @89cf9cc7).
    #[value(name = "1")]
    V1,
    /// Flyte 2 (main @6fadb90d), RENDERING.md §18.
    #[value(name = "2")]
    V2,
}

fn key_value(s: &str, flag: &str) -> Result<(String, String)> {
    s.split_once('=')
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .ok_or_else(|| UsageError(format!("--{flag} {s:?}: expected KEY=VALUE")).into())
}

pub(crate) fn run(args: &RenderArgs) -> Result<Outcome> {
    let bytes = read_input(args.task.as_deref())?;
    let text = std::str::from_utf8(&bytes)
        .map_err(|_| anyhow!("task: not UTF-8 text (JSON or YAML expected)"))?;
    let task = TaskTemplate::from_text(text)?;
    let config = match &args.plugin_config {
        Some(p) => {
            let text =
                std::fs::read_to_string(p).with_context(|| format!("reading {}", p.display()))?;
            PluginConfig::from_yaml(&text)?
        }
        None => PluginConfig::default(),
    };
    let mut exec = ExecutionMetadata::default();
    if let Some(id) = &args.execution_id {
        let parts: Vec<&str> = id.split('/').collect();
        let [p, d, n] = parts.as_slice() else {
            return Err(UsageError(format!(
                "--execution-id {id:?}: expected PROJECT/DOMAIN/NAME"
            ))
            .into());
        };
        exec.project = (*p).to_owned();
        exec.domain = (*d).to_owned();
        exec.name = (*n).to_owned();
    }
    exec.namespace.clone_from(&args.namespace);
    exec.node_id.clone_from(&args.node_id);
    exec.retry_attempt = args.retry_attempt;
    if let Some(sa) = &args.service_account {
        exec.k8s_service_account.clone_from(sa);
    }
    if args.interruptible {
        exec.interruptible = Some(true);
    }
    let mut labels = BTreeMap::new();
    for l in &args.label {
        let (k, v) = key_value(l, "label")?;
        labels.insert(k, v);
    }
    exec.labels = labels;
    for a in &args.annotation {
        let (k, v) = key_value(a, "annotation")?;
        exec.annotations.insert(k, v);
    }
    if let Some(id) = task.id.as_ref().filter(|id| !id.name.is_empty()) {
        let mut t = Identifier::default();
        t.clone_from(id);
        exec.task_id = Some(t);
    }
    let flyte = match args.flyte {
        Flyte::V1 => FlyteVersion::V1,
        Flyte::V2 => FlyteVersion::V2,
    };
    let rendered = flyte_ray_kuberay::render(&task, &exec, &config, &RenderOptions::new(flyte))?;
    let out = match args.output {
        RenderFormat::Yaml => rendered.to_yaml()?,
        RenderFormat::Json => {
            let mut s = rendered.to_json_pretty()?;
            s.push('\n');
            s
        }
    };
    write_stdout(out.as_bytes())?;
    for f in &rendered.findings {
        eprintln!("{f}");
    }
    if rendered
        .findings
        .iter()
        .any(|f| f.severity == Severity::Error)
    {
        Ok(Outcome::Invalid)
    } else {
        Ok(Outcome::Success)
    }
}
