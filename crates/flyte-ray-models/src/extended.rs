//! The extended resources of a Ray group: [`ExtendedResources`],
//! [`GPUAccelerator`] and [`SharedMemory`] (`flyteidl.core` /
//! `flyteidl2.core`; flytekit builds them from `flytekit.extras.accelerators`
//! and `flytekit.core.resources.SharedMemory`).
//!
//! Flyte 1 (`flyteidl`) has all three messages, but its Ray groups cannot
//! carry them, and its `GPUAccelerator` has no `device_class` or
//! `accelerator_model`; Flyte 2 (`flyteidl2`) adds those fields, each with the
//! highest number of its message.

use flyte_ray_idl::flyteidl2::core as idl;

use crate::{AcceleratorModel, DeviceClass, PartitionSizeValue};

/// Resources beyond CPU and memory: a GPU accelerator and shared memory
/// (`flyteidl2.core.ExtendedResources`).
///
/// ```
/// use flyte_ray_models::{ExtendedResources, GPUAccelerator, SharedMemory};
///
/// let r = ExtendedResources::new()
///     .with_gpu_accelerator(GPUAccelerator::new("nvidia-tesla-a100").with_partition_size("1g.5gb"))
///     .with_shared_memory(SharedMemory::new().with_size_limit("2Gi"));
/// assert_eq!(r.gpu_accelerator().unwrap().device(), "nvidia-tesla-a100");
/// assert_eq!(r.shared_memory().unwrap().size_limit(), "2Gi");
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct ExtendedResources {
    pub(crate) gpu_accelerator: Option<GPUAccelerator>,
    pub(crate) shared_memory: Option<SharedMemory>,
    /// Fields the schema does not know, as read (written back after the
    /// known fields).
    pub(crate) unknown: crate::unknown_fields::UnknownFields,
}

impl ExtendedResources {
    /// flytekit's `ExtendedResources()`: nothing set.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets the GPU accelerator.
    #[must_use]
    pub fn with_gpu_accelerator(mut self, gpu: GPUAccelerator) -> Self {
        self.gpu_accelerator = Some(gpu);
        self
    }

    /// Sets the shared memory.
    #[must_use]
    pub fn with_shared_memory(mut self, shared_memory: SharedMemory) -> Self {
        self.shared_memory = Some(shared_memory);
        self
    }

    /// The GPU accelerator; `None` when absent.
    pub fn gpu_accelerator(&self) -> Option<&GPUAccelerator> {
        self.gpu_accelerator.as_ref()
    }

    /// Replaces (or removes) the GPU accelerator.
    pub fn set_gpu_accelerator(&mut self, gpu: Option<GPUAccelerator>) {
        self.gpu_accelerator = gpu;
    }

    /// The shared memory; `None` when absent.
    pub fn shared_memory(&self) -> Option<&SharedMemory> {
        self.shared_memory.as_ref()
    }

    /// Replaces (or removes) the shared memory.
    pub fn set_shared_memory(&mut self, shared_memory: Option<SharedMemory>) {
        self.shared_memory = shared_memory;
    }
}

/// The GPU a group runs on and how it is partitioned
/// (`flyteidl2.core.GPUAccelerator`; flytekit's `GPUAccelerator`,
/// `MultiInstanceGPUAccelerator` and the constants of
/// `flytekit.extras.accelerators`).
///
/// `partition_size_value` is a oneof: unset (`None`), `unpartitioned`, or a
/// `partition_size`. A set member is written even at its default
/// (`unpartitioned: false`, `partition_size: ""`), so the three states stay
/// apart through every round trip.
///
/// ```
/// use flyte_ray_models::{AcceleratorModel, DeviceClass, GPUAccelerator, PartitionSizeValue};
///
/// // flytekit's `A100.partition_2g_10gb`:
/// let gpu = GPUAccelerator::new("nvidia-tesla-a100").with_partition_size("2g.10gb");
/// assert_eq!(gpu.partition_size(), Some("2g.10gb"));
/// // flytekit's `A100.unpartitioned`:
/// let gpu = GPUAccelerator::new("nvidia-tesla-a100").with_unpartitioned(true);
/// assert_eq!(gpu.partition_size_value(), Some(&PartitionSizeValue::Unpartitioned(true)));
/// // Flyte 2 names the vendor family and the model too:
/// let tpu = GPUAccelerator::new("tpu-v5-lite-podslice")
///     .with_device_class(DeviceClass::GoogleTpu)
///     .with_accelerator_model(AcceleratorModel::GoogleTpuV5e);
/// assert_eq!(tpu.device_class_enum(), Some(DeviceClass::GoogleTpu));
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct GPUAccelerator {
    pub(crate) device: String,
    pub(crate) partition_size_value: Option<PartitionSizeValue>,
    pub(crate) device_class: i32,
    pub(crate) accelerator_model: i32,
    /// Fields the schema does not know, as read (written back after the
    /// known fields).
    pub(crate) unknown: crate::unknown_fields::UnknownFields,
}

impl GPUAccelerator {
    /// flytekit's `GPUAccelerator(device)`: the device name, no partition,
    /// device class `NVIDIA_GPU` (0), no model.
    pub fn new(device: impl Into<String>) -> Self {
        Self {
            device: device.into(),
            ..Self::default()
        }
    }

    /// Sets `unpartitioned` (and so clears `partition_size`).
    #[must_use]
    pub fn with_unpartitioned(mut self, unpartitioned: bool) -> Self {
        self.partition_size_value = Some(PartitionSizeValue::Unpartitioned(unpartitioned));
        self
    }

    /// Sets `partition_size` (and so clears `unpartitioned`).
    #[must_use]
    pub fn with_partition_size(mut self, partition_size: impl Into<String>) -> Self {
        self.partition_size_value = Some(PartitionSizeValue::PartitionSize(partition_size.into()));
        self
    }

    /// Sets the vendor family (a flyteidl2 field).
    #[must_use]
    pub fn with_device_class(mut self, device_class: DeviceClass) -> Self {
        self.device_class = device_class as i32;
        self
    }

    /// Sets the accelerator model (a flyteidl2 field).
    #[must_use]
    pub fn with_accelerator_model(mut self, model: AcceleratorModel) -> Self {
        self.accelerator_model = model as i32;
        self
    }

    /// The device name; empty when unset.
    pub fn device(&self) -> &str {
        &self.device
    }

    /// Sets the device name.
    pub fn set_device(&mut self, device: impl Into<String>) {
        self.device = device.into();
    }

    /// The oneof `partition_size_value`; `None` when neither member is set.
    pub fn partition_size_value(&self) -> Option<&PartitionSizeValue> {
        self.partition_size_value.as_ref()
    }

    /// Sets (or clears) the oneof `partition_size_value`.
    pub fn set_partition_size_value(&mut self, value: Option<PartitionSizeValue>) {
        self.partition_size_value = value;
    }

    /// `unpartitioned` when that member is set.
    pub fn unpartitioned(&self) -> Option<bool> {
        match self.partition_size_value {
            Some(PartitionSizeValue::Unpartitioned(v)) => Some(v),
            _ => None,
        }
    }

    /// `partition_size` when that member is set.
    pub fn partition_size(&self) -> Option<&str> {
        match &self.partition_size_value {
            Some(PartitionSizeValue::PartitionSize(v)) => Some(v),
            _ => None,
        }
    }

    /// The vendor family as its number (known or not; 0, `NVIDIA_GPU`, when
    /// unset).
    pub fn device_class(&self) -> i32 {
        self.device_class
    }

    /// The vendor family, or `None` for a number the enum does not define.
    pub fn device_class_enum(&self) -> Option<DeviceClass> {
        DeviceClass::try_from(self.device_class).ok()
    }

    /// Sets the vendor family to any number, known or not.
    pub fn set_device_class(&mut self, device_class: i32) {
        self.device_class = device_class;
    }

    /// The accelerator model as its number (known or not; 0 when unset).
    pub fn accelerator_model(&self) -> i32 {
        self.accelerator_model
    }

    /// The accelerator model, or `None` for a number the enum does not
    /// define.
    pub fn accelerator_model_enum(&self) -> Option<AcceleratorModel> {
        AcceleratorModel::try_from(self.accelerator_model).ok()
    }

    /// Sets the accelerator model to any number, known or not.
    pub fn set_accelerator_model(&mut self, model: i32) {
        self.accelerator_model = model;
    }
}

/// A shared-memory volume mounted into a group's pods
/// (`flyteidl2.core.SharedMemory`; flytekit's `SharedMemory`).
///
/// ```
/// use flyte_ray_models::SharedMemory;
///
/// let shm = SharedMemory::new()
///     .with_mount_path("/dev/shm")
///     .with_mount_name("flyte-shared-memory")
///     .with_size_limit("2Gi");
/// assert_eq!(shm.mount_path(), "/dev/shm");
/// assert_eq!(shm.size_limit(), "2Gi");
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct SharedMemory {
    pub(crate) mount_path: String,
    pub(crate) mount_name: String,
    pub(crate) size_limit: String,
    /// Fields the schema does not know, as read (written back after the
    /// known fields).
    pub(crate) unknown: crate::unknown_fields::UnknownFields,
}

impl SharedMemory {
    /// An empty shared-memory message: no mount path, no name, no size
    /// limit (the volume's size is then the node's default).
    pub fn new() -> Self {
        Self::default()
    }

    /// flytekit's `SharedMemory(size=...)` as it lands in the message:
    /// mount path `/dev/shm`, mount name `flyte-shared-memory`, and the
    /// size limit (empty for no limit).
    pub fn flytekit_default(size_limit: impl Into<String>) -> Self {
        Self {
            mount_path: "/dev/shm".to_owned(),
            mount_name: "flyte-shared-memory".to_owned(),
            size_limit: size_limit.into(),
            unknown: Default::default(),
        }
    }

    /// Sets the mount path.
    #[must_use]
    pub fn with_mount_path(mut self, mount_path: impl Into<String>) -> Self {
        self.mount_path = mount_path.into();
        self
    }

    /// Sets the volume's name.
    #[must_use]
    pub fn with_mount_name(mut self, mount_name: impl Into<String>) -> Self {
        self.mount_name = mount_name.into();
        self
    }

    /// Sets the size limit (a Kubernetes quantity such as `"2Gi"`).
    #[must_use]
    pub fn with_size_limit(mut self, size_limit: impl Into<String>) -> Self {
        self.size_limit = size_limit.into();
        self
    }

    /// Where the volume is mounted; empty when unset.
    pub fn mount_path(&self) -> &str {
        &self.mount_path
    }

    /// The volume's name; empty when unset.
    pub fn mount_name(&self) -> &str {
        &self.mount_name
    }

    /// The size limit; empty when unset.
    pub fn size_limit(&self) -> &str {
        &self.size_limit
    }
}

// ---- conversions to and from the IDL: moves, no copies -------------------

crate::convert::mirror!(
    ExtendedResources,
    idl::ExtendedResources {
        gpu_accelerator: opt,
        shared_memory: opt,
    }
);
crate::convert::mirror!(
    GPUAccelerator,
    idl::GpuAccelerator {
        device: same,
        partition_size_value: same,
        device_class: same,
        accelerator_model: same,
    }
);
crate::convert::mirror!(
    SharedMemory,
    idl::SharedMemory {
        mount_path: same,
        mount_name: same,
        size_limit: same,
    }
);
