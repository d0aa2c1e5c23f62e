//! `flyte-ray build`: a RayJobConfig document in, the RayJob the SDK puts
//! in `TaskTemplate.custom` out (`flyte-ray-task`).

use std::io::{self, IsTerminal};
use std::path::PathBuf;

use anyhow::{Result, anyhow};
use clap::{Args, ValueEnum};
use flyte_ray_task::{Sdk, build_str};

use crate::input::{UsageError, read_input};
use crate::{Outcome, one_line, plural, with_newline, write_stdout};

/// Which SDK to reproduce (`--sdk`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SdkArg {
    /// flytekit 1.16.31 + flytekitplugins-ray 1.16.31 (`get_custom`).
    Flytekit,
    /// Flyte 2 (flyte 2.12.1 + flyteplugins-ray 2.12.1, `custom_config`).
    Flyte2,
}

/// What `build` prints (`--to`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum BuildFormat {
    /// The `custom` JSON, compact, as `MessageToDict` gives it.
    Json,
    /// The same mapping as YAML.
    Yaml,
    /// Binary protobuf (refused on a terminal).
    Pb,
    /// Protobuf text format.
    Text,
    /// flytekit's short_string.
    Short,
}

/// `flyte-ray build`.
#[derive(Debug, Args)]
pub(crate) struct BuildArgs {
    /// The SDK whose behaviour to reproduce.
    #[arg(long, value_enum, default_value_t = SdkArg::Flytekit)]
    sdk: SdkArg,

    /// Output format.
    #[arg(long, value_enum, default_value_t = BuildFormat::Json)]
    to: BuildFormat,

    /// Also run the spec validation (KubeRay/Flyte rules); its findings go
    /// to stderr and an error finding makes the exit code 1.
    #[arg(long)]
    validate: bool,

    /// The config document (YAML or JSON); `-` or nothing reads stdin.
    #[arg(value_name = "CONFIG")]
    config: Option<PathBuf>,
}

/// Help shown after `build --help`.
pub(crate) const BUILD_HELP: &str = "\
The document: the snake_case keys of the SDK's RayJobConfig dataclasses
(worker_node_config, head_node_config, autoscaler_options, runtime_env, ...),
pod specs in their Kubernetes JSON form; see docs/TASK_LAYER.md.

Warnings (what the SDK silently drops or changes) go to stderr.
Exit codes: 0 built, 1 bad document, SDK error (its message is printed) or
(with --validate) an error finding, 2 usage error.";

pub(crate) fn run(args: &BuildArgs) -> Result<Outcome> {
    if args.to == BuildFormat::Pb && io::stdout().is_terminal() {
        return Err(UsageError(
            "refusing to write binary protobuf to a terminal; redirect stdout to a file or pipe"
                .into(),
        )
        .into());
    }
    let bytes = read_input(args.config.as_deref())?;
    let name = args
        .config
        .as_deref()
        .map_or_else(|| "<stdin>".to_owned(), |p| p.display().to_string());
    let text = std::str::from_utf8(&bytes).map_err(|e| anyhow!("{name}: not UTF-8 text: {e}"))?;
    let sdk = match args.sdk {
        SdkArg::Flytekit => Sdk::Flytekit,
        SdkArg::Flyte2 => Sdk::Flyte2,
    };
    let built = build_str(text, sdk).map_err(|e| anyhow!("{name}: {e}"))?;
    for w in &built.warnings {
        eprintln!("flyte-ray: {}", one_line(&w.to_string()));
    }
    let out = match args.to {
        BuildFormat::Json => with_newline(built.custom_json().map_err(|e| anyhow!("{e}"))?),
        BuildFormat::Yaml => with_newline(built.to_yaml().map_err(|e| anyhow!("{e}"))?),
        BuildFormat::Pb => built.to_bytes(),
        BuildFormat::Text => built.text_format().into_bytes(),
        BuildFormat::Short => {
            let mut s = built.short_string();
            s.push('\n');
            s.into_bytes()
        }
    };
    write_stdout(&out)?;
    if args.validate {
        let findings = built.validate();
        let errors = findings.iter().filter(|f| f.is_error()).count();
        for f in &findings {
            eprintln!("flyte-ray: {}", one_line(&f.to_string()));
        }
        eprintln!(
            "flyte-ray: validation: {errors} error{}, {} warning{}",
            plural(errors),
            findings.len() - errors,
            plural(findings.len() - errors)
        );
        if errors > 0 {
            return Ok(Outcome::Invalid);
        }
    }
    Ok(Outcome::Success)
}
