//! flyte 2.12.1's accelerator facts (`flyte._resources`,
//! `flyte._internal.runtime.resources_serde`), in the SDK's order: the
//! accepted `gpu` strings, the device types of each class, the partitions,
//! and the device-name map. Copied as data from the SDK; the order matters
//! (the SDK prints these tuples in its error messages).

/// `flyte._resources.Accelerators`: every `gpu` string accepted.
pub(crate) const ACCELERATORS: &[&str] = &[
    "A2:1",
    "A10:1",
    "A10:2",
    "A10:3",
    "A10:4",
    "A10:5",
    "A10:6",
    "A10:7",
    "A10:8",
    "A10G:1",
    "A10G:2",
    "A10G:3",
    "A10G:4",
    "A10G:5",
    "A10G:6",
    "A10G:7",
    "A10G:8",
    "A100:1",
    "A100:2",
    "A100:3",
    "A100:4",
    "A100:5",
    "A100:6",
    "A100:7",
    "A100:8",
    "A100_80G:1",
    "A100_80G:2",
    "A100_80G:3",
    "A100_80G:4",
    "A100_80G:5",
    "A100_80G:6",
    "A100_80G:7",
    "A100_80G:8",
    "B200:1",
    "B200:2",
    "B200:3",
    "B200:4",
    "B200:5",
    "B200:6",
    "B200:7",
    "B200:8",
    "H100:1",
    "H100:2",
    "H100:3",
    "H100:4",
    "H100:5",
    "H100:6",
    "H100:7",
    "H100:8",
    "H200:1",
    "H200:2",
    "H200:3",
    "H200:4",
    "H200:5",
    "H200:6",
    "H200:7",
    "H200:8",
    "L4:1",
    "L4:2",
    "L4:3",
    "L4:4",
    "L4:5",
    "L4:6",
    "L4:7",
    "L4:8",
    "L40s:1",
    "L40s:2",
    "L40s:3",
    "L40s:4",
    "L40s:5",
    "L40s:6",
    "L40s:7",
    "L40s:8",
    "V100:1",
    "V100:2",
    "V100:3",
    "V100:4",
    "V100:5",
    "V100:6",
    "V100:7",
    "V100:8",
    "RTX_PRO_4500:1",
    "RTX_PRO_6000:1",
    "RTX_PRO_6000:2",
    "GB10:1",
    "T4:1",
    "T4:2",
    "T4:3",
    "T4:4",
    "T4:5",
    "T4:6",
    "T4:7",
    "T4:8",
    "T4 shared:1",
    "L4 shared:1",
    "A10G shared:1",
    "A10 shared:1",
    "L40S shared:1",
    "Trn1:1",
    "Trn1:4",
    "Trn1:8",
    "Trn1:16",
    "Trn1n:1",
    "Trn1n:4",
    "Trn1n:8",
    "Trn1n:16",
    "Trn2:1",
    "Trn2:4",
    "Trn2:8",
    "Trn2:16",
    "Trn2u:1",
    "Trn2u:4",
    "Trn2u:8",
    "Trn2u:16",
    "Inf1:1",
    "Inf1:2",
    "Inf1:3",
    "Inf1:4",
    "Inf1:5",
    "Inf1:6",
    "Inf1:7",
    "Inf1:8",
    "Inf1:9",
    "Inf1:10",
    "Inf1:11",
    "Inf1:12",
    "Inf1:13",
    "Inf1:14",
    "Inf1:15",
    "Inf1:16",
    "Inf2:1",
    "Inf2:2",
    "Inf2:3",
    "Inf2:4",
    "Inf2:5",
    "Inf2:6",
    "Inf2:7",
    "Inf2:8",
    "Inf2:9",
    "Inf2:10",
    "Inf2:11",
    "Inf2:12",
    "MI100:1",
    "MI210:1",
    "MI250:1",
    "MI250X:1",
    "MI300A:1",
    "MI300X:1",
    "MI325X:1",
    "MI350X:1",
    "MI355X:1",
    "Gaudi1:1",
    "AppleSilicon",
    "AppleSilicon:1",
];

/// `GPUType` (shared devices included).
pub(crate) const GPU_TYPES: &[&str] = &[
    "A2",
    "A10",
    "A10G",
    "A100",
    "A100_80G",
    "B200",
    "H100",
    "H200",
    "L4",
    "L40s",
    "T4",
    "V100",
    "RTX_PRO_4500",
    "RTX_PRO_6000",
    "GB10",
    "T4 shared",
    "L4 shared",
    "A10G shared",
    "A10 shared",
    "L40S shared",
];

/// `SharedGPUType`.
pub(crate) const SHARED_GPU_TYPES: &[&str] = &[
    "T4 shared",
    "L4 shared",
    "A10G shared",
    "A10 shared",
    "L40S shared",
];

/// `TPUType`.
pub(crate) const TPU_TYPES: &[&str] = &["V5E", "V5P", "V6E"];

/// `NeuronType`.
pub(crate) const NEURON_TYPES: &[&str] = &["Inf1", "Inf2", "Trn1", "Trn1n", "Trn2", "Trn2u"];

/// `AMD_GPUType`.
pub(crate) const AMD_GPU_TYPES: &[&str] = &[
    "MI100", "MI210", "MI250", "MI250X", "MI300A", "MI300X", "MI325X", "MI350X", "MI355X",
];

/// `HABANA_GAUDIType`.
pub(crate) const HABANA_GAUDI_TYPES: &[&str] = &["Gaudi1"];

/// `A100Parts`.
pub(crate) const A100_PARTS: &[&str] = &["1g.5gb", "2g.10gb", "3g.20gb", "4g.20gb", "7g.40gb"];

/// `A100_80GBParts`.
pub(crate) const A100_80G_PARTS: &[&str] = &["1g.10gb", "2g.20gb", "3g.40gb", "4g.40gb", "7g.80gb"];

/// `H100Parts`.
pub(crate) const H100_PARTS: &[&str] = &[
    "1g.10gb", "1g.20gb", "2g.20gb", "3g.40gb", "4g.40gb", "7g.80gb",
];

/// `H200Parts`.
pub(crate) const H200_PARTS: &[&str] = &[
    "1g.18gb", "1g.35gb", "2g.35gb", "3g.71gb", "4g.71gb", "7g.141gb",
];

/// `RTXPro6000Parts`.
pub(crate) const RTX_PRO_6000_PARTS: &[&str] = &["1g.24gb", "2g.48gb", "4g.96gb"];

/// `V5EParts`.
pub(crate) const V5E_PARTS: &[&str] = &["1x1", "2x2", "2x4", "4x4", "4x8", "8x8", "8x16", "16x16"];

/// `V5PParts`.
pub(crate) const V5P_PARTS: &[&str] = &[
    "2x2x1", "2x2x2", "2x4x4", "4x4x4", "4x4x8", "4x8x8", "8x8x8", "8x8x16", "8x16x16", "16x16x16",
    "16x16x24",
];

/// `V6EParts`.
pub(crate) const V6E_PARTS: &[&str] = &["1x1", "2x2", "2x4", "4x4", "4x8", "8x8", "8x16", "16x16"];

/// `ACCELERATOR_DEVICE_MAP`: device name to the node-selector value.
pub(crate) const DEVICE_MAP: &[(&str, &str)] = &[
    ("A100", "nvidia-tesla-a100"),
    ("A100_80G", "nvidia-a100-80gb"),
    ("A100 80G", "nvidia-a100-80gb"),
    ("H100", "nvidia-tesla-h100"),
    ("A10", "nvidia-a10"),
    ("A10G", "nvidia-a10g"),
    ("A100G", "nvidia-a100g"),
    ("L4", "nvidia-l4"),
    ("L40s", "nvidia-l40s"),
    ("L4_VWS", "nvidia-l4-vws"),
    ("K80", "nvidia-tesla-k80"),
    ("M60", "nvidia-tesla-m60"),
    ("P4", "nvidia-tesla-p4"),
    ("P100", "nvidia-tesla-p100"),
    ("RTX_PRO_4500", "nvidia-rtx-pro-4500"),
    ("RTX_PRO_6000", "nvidia-rtx-pro-6000"),
    ("RTX PRO 6000", "nvidia-rtx-pro-6000"),
    ("T4", "nvidia-tesla-t4"),
    ("V100", "nvidia-tesla-v100"),
    ("V5E", "tpu-v5-lite-podslice"),
    ("V5P", "tpu-v5p-slice"),
    ("V6E", "tpu-v6e-slice"),
];
