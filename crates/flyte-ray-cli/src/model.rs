//! The thirteen model types the tool reads, and one generic interface over them
//! (decoding, encoding, rendering, validation), so every command is written
//! once and dispatched by [`ModelType`].

use clap::ValueEnum;
use flyte_ray_models::{
    AutoscalerOptions, DataLoadingConfig, ExtendedResources, Finding, FlyteIdlEntity,
    GPUAccelerator, HeadGroupSpec, IOStrategy, K8sObjectMetadata, K8sPod, RayCluster, RayJob,
    Resources, SharedMemory, WorkerGroupSpec,
};

/// Which model the input holds (`--type`), named as flytekit names the
/// class.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ModelType {
    /// `flyteidl.plugins.RayJob`, what a Ray task keeps in `custom`.
    #[value(name = "RayJob")]
    RayJob,
    /// `flyteidl.plugins.RayCluster`.
    #[value(name = "RayCluster")]
    RayCluster,
    /// `flyteidl.plugins.HeadGroupSpec`.
    #[value(name = "HeadGroupSpec")]
    HeadGroupSpec,
    /// `flyteidl.plugins.WorkerGroupSpec`.
    #[value(name = "WorkerGroupSpec")]
    WorkerGroupSpec,
    /// `flyteidl.plugins.AutoscalerOptions`.
    #[value(name = "AutoscalerOptions")]
    AutoscalerOptions,
    /// `flyteidl.core.K8sPod`.
    #[value(name = "K8sPod")]
    K8sPod,
    /// `flyteidl.core.K8sObjectMetadata`.
    #[value(name = "K8sObjectMetadata")]
    K8sObjectMetadata,
    /// `flyteidl.core.Resources`.
    #[value(name = "Resources")]
    Resources,
    /// `flyteidl.core.DataLoadingConfig`.
    #[value(name = "DataLoadingConfig")]
    DataLoadingConfig,
    /// `flyteidl.core.IOStrategy`.
    #[value(name = "IOStrategy")]
    IOStrategy,
    /// `flyteidl2.core.ExtendedResources` (GPU accelerator, shared memory).
    #[value(name = "ExtendedResources")]
    ExtendedResources,
    /// `flyteidl2.core.GPUAccelerator`.
    #[value(name = "GPUAccelerator")]
    GPUAccelerator,
    /// `flyteidl2.core.SharedMemory`.
    #[value(name = "SharedMemory")]
    SharedMemory,
}

/// What the commands need of a model, on top of [`FlyteIdlEntity`].
pub(crate) trait Model: FlyteIdlEntity + Send {
    /// Whether a whole Flyte task (template) wrapping this model in its
    /// `custom` field is accepted as input. Only for [`RayJob`].
    const IN_TASK_CUSTOM: bool = false;

    /// Every finding of the validation layer; `None` when it has no rules
    /// for this model.
    fn check(&self) -> Option<Vec<Finding>>;
}

/// Implements [`Model`] through each model's own `validate()`, or as "no
/// rules" for the models the validation layer has none for.
macro_rules! model {
    ($($ty:ident $(, in_task = $in_task:expr)?;)*) => {$(
        impl Model for $ty {
            $(const IN_TASK_CUSTOM: bool = $in_task;)?

            fn check(&self) -> Option<Vec<Finding>> {
                Some(self.validate())
            }
        }
    )*};
}

/// Models without validation rules: they only have to decode.
macro_rules! no_rules {
    ($($ty:ident;)*) => {$(
        impl Model for $ty {
            fn check(&self) -> Option<Vec<Finding>> {
                None
            }
        }
    )*};
}

model! {
    RayJob, in_task = true;
    RayCluster;
    HeadGroupSpec;
    WorkerGroupSpec;
    AutoscalerOptions;
    K8sPod;
    ExtendedResources;
    GPUAccelerator;
    SharedMemory;
}

no_rules! {
    K8sObjectMetadata;
    Resources;
    DataLoadingConfig;
    IOStrategy;
}

/// Calls `$f::<T>($args...)` with `T` the model named by a [`ModelType`].
macro_rules! dispatch {
    ($ty:expr, $f:ident ( $($arg:expr),* $(,)? )) => {{
        use $crate::model::ModelType as M;
        use flyte_ray_models as m;
        match $ty {
            M::RayJob => $f::<m::RayJob>($($arg),*),
            M::RayCluster => $f::<m::RayCluster>($($arg),*),
            M::HeadGroupSpec => $f::<m::HeadGroupSpec>($($arg),*),
            M::WorkerGroupSpec => $f::<m::WorkerGroupSpec>($($arg),*),
            M::AutoscalerOptions => $f::<m::AutoscalerOptions>($($arg),*),
            M::K8sPod => $f::<m::K8sPod>($($arg),*),
            M::K8sObjectMetadata => $f::<m::K8sObjectMetadata>($($arg),*),
            M::Resources => $f::<m::Resources>($($arg),*),
            M::DataLoadingConfig => $f::<m::DataLoadingConfig>($($arg),*),
            M::IOStrategy => $f::<m::IOStrategy>($($arg),*),
            M::ExtendedResources => $f::<m::ExtendedResources>($($arg),*),
            M::GPUAccelerator => $f::<m::GPUAccelerator>($($arg),*),
            M::SharedMemory => $f::<m::SharedMemory>($($arg),*),
        }
    }};
}
pub(crate) use dispatch;
