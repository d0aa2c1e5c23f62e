#![doc = include_str!("../README.md")]

mod accelerators;
pub mod build;
pub mod config;
pub mod doc;
pub mod error;
mod flyte2;
mod flytekit;
pub mod pyrepr;
mod runtime_env;
pub mod testing;

pub use build::{Built, Warning, build, build_str};
pub use config::{
    AutoscalerOptionsConfig, HeadNodeConfig, OrderedStrings, PodTemplate, RayJobConfig, Resources,
    ReusePolicy, RuntimeEnv, Sdk, UpscalingModeConfig, WorkerNodeConfig,
};
pub use doc::{MAX_DEPTH, Node, parse_document};
pub use error::{BuildError, ConfigError, SdkError, SdkErrorType};
