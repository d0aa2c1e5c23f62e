//! Rules for the Flyte 2 extended resources of a Ray group
//! (`ExtendedResources`: a GPU accelerator and shared memory), as Flyte's
//! backend applies them to a pod (`ApplyGPUNodeSelectors`,
//! `ApplySharedMemory`) and as Kubernetes then reads the pod.

use super::{Sink, field, rules};
use crate::{
    AcceleratorModel, DeviceClass, ExtendedResources, GPUAccelerator, PartitionSizeValue,
    SharedMemory,
};

/// Flyte's default label for the GPU device (`gpu-device-node-label`).
const DEVICE_LABEL: &str = "k8s.amazonaws.com/accelerator";
/// Flyte's default label for the partition size
/// (`gpu-partition-size-node-label`).
const PARTITION_LABEL: &str = "k8s.amazonaws.com/gpu-partition-size";

/// A group's `extendedResources` (or the message alone, `p` empty).
pub(super) fn extended(r: &ExtendedResources, p: &str, sink: &mut Sink) {
    if let Some(g) = &r.gpu_accelerator {
        gpu(g, &field(p, "gpuAccelerator"), sink);
    }
    if let Some(s) = &r.shared_memory {
        shared_memory(s, &field(p, "sharedMemory"), sink);
    }
}

pub(super) fn gpu(g: &GPUAccelerator, p: &str, sink: &mut Sink) {
    let dp = field(p, "device");
    if g.device.is_empty() {
        sink.push(
            &rules::GPU_DEVICE_EMPTY,
            dp,
            format!(
                "is empty; Flyte's backend selects no GPU model (no {DEVICE_LABEL} node \
                 selector or toleration), so the pods may land on any GPU node"
            ),
        );
    } else if let Err(e) = flyte_ray_k8s::is_valid_label_value(&g.device) {
        sink.push(
            &rules::GPU_DEVICE_INVALID,
            dp,
            format!(
                "{:?} is not a valid Kubernetes label value ({e}); Flyte's backend puts it in a \
                 {DEVICE_LABEL} toleration and node selector, which the API server rejects",
                g.device
            ),
        );
    }
    if let Some(PartitionSizeValue::PartitionSize(size)) = &g.partition_size_value {
        let sp = field(p, "partitionSize");
        if size.is_empty() {
            sink.push(
                &rules::GPU_PARTITION_SIZE_EMPTY,
                sp,
                format!(
                    "is set but empty; Flyte's backend then requires nodes whose \
                     {PARTITION_LABEL} label is empty, which a partitioned node does not have \
                     (for a whole GPU set unpartitioned: true, or leave both unset)"
                ),
            );
        } else if let Err(e) = flyte_ray_k8s::is_valid_label_value(size) {
            sink.push(
                &rules::GPU_PARTITION_SIZE_INVALID,
                sp,
                format!(
                    "{size:?} is not a valid Kubernetes label value ({e}); Flyte's backend puts \
                     it in a {PARTITION_LABEL} toleration and node selector, which the API \
                     server rejects"
                ),
            );
        }
    }
    if DeviceClass::try_from(g.device_class).is_err() {
        sink.push(
            &rules::GPU_DEVICE_CLASS_UNKNOWN,
            field(p, "deviceClass"),
            format!(
                "is {}, a number flyteidl2's DeviceClass does not define (0 NVIDIA_GPU … \
                 5 APPLE_SILICON); a backend cannot tell which vendor is meant",
                g.device_class
            ),
        );
    }
    if AcceleratorModel::try_from(g.accelerator_model).is_err() {
        sink.push(
            &rules::ACCELERATOR_MODEL_UNKNOWN,
            field(p, "acceleratorModel"),
            format!(
                "is {}, a number flyteidl2's AcceleratorModel does not define; a backend cannot \
                 tell which accelerator is meant",
                g.accelerator_model
            ),
        );
    }
}

pub(super) fn shared_memory(s: &SharedMemory, p: &str, sink: &mut Sink) {
    let np = field(p, "mountName");
    if s.mount_name.is_empty() {
        sink.push(
            &rules::SHARED_MEMORY_MOUNT_NAME_EMPTY,
            np,
            "is empty; Flyte's backend fails the task (`mount name is not set`)".to_owned(),
        );
    } else if let Err(e) = flyte_ray_k8s::is_dns1123_label(&s.mount_name) {
        sink.push(
            &rules::SHARED_MEMORY_MOUNT_NAME_INVALID,
            np,
            format!(
                "{:?} is not a DNS-1123 label ({e}); it becomes the name of the pod's \
                 shared-memory volume, which the API server rejects",
                s.mount_name
            ),
        );
    }
    if s.mount_path.is_empty() {
        sink.push(
            &rules::SHARED_MEMORY_MOUNT_PATH_EMPTY,
            field(p, "mountPath"),
            "is empty; Flyte's backend fails the task (`mount path is not set`)".to_owned(),
        );
    }
    if !s.size_limit.is_empty() {
        let lp = field(p, "sizeLimit");
        match flyte_ray_k8s::parse_quantity(&s.size_limit) {
            Err(e) => sink.push(
                &rules::SHARED_MEMORY_SIZE_LIMIT_INVALID,
                lp,
                format!(
                    "is not a Kubernetes quantity ({e}); Flyte's backend fails the task \
                     (`Unable to parse size limit`)"
                ),
            ),
            Ok(q) if q.is_negative() => sink.push(
                &rules::SHARED_MEMORY_SIZE_LIMIT_INVALID,
                lp,
                format!(
                    "{:?} is negative; Kubernetes rejects the shared-memory volume's \
                     emptyDir.sizeLimit",
                    s.size_limit
                ),
            ),
            Ok(_) => {}
        }
    }
}
