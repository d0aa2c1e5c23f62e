// Go facts about `k8s.io/api/core/v1` v0.34.1 (`PodSpec` and everything under it), one
// entry per Go struct field: JSON name, kind, Go pointer?, slice?, `omitempty` absent?
// Hand-maintained data (first derived from the KubeRay v1.5.1 CRD's pod template schema,
// then annotated with the pointer/value/omitempty facts of the Go types); the test
// `descriptor_matches_crd` checks the field tree against the CRD in `../shared/kuberay`.

use super::{Field, Kind::*, StructDesc};

/// Every struct of the pod spec tree; index 0 is `PodSpec`.
pub(super) static STRUCTS: &[StructDesc] = &[
    // 0
    StructDesc {
        name: "PodSpec",
        fields: &[
            Field::new("activeDeadlineSeconds", Int64, true, false, false),
            Field::new("affinity", Struct(1), true, false, false),
            Field::new("automountServiceAccountToken", Bool, true, false, false),
            Field::new("containers", Struct(11), false, true, true),
            Field::new("dnsConfig", Struct(42), true, false, false),
            Field::new("dnsPolicy", Str, false, false, false),
            Field::new("enableServiceLinks", Bool, true, false, false),
            Field::new("ephemeralContainers", Struct(44), false, true, false),
            Field::new("hostAliases", Struct(45), false, true, false),
            Field::new("hostIPC", Bool, false, false, false),
            Field::new("hostNetwork", Bool, false, false, false),
            Field::new("hostPID", Bool, false, false, false),
            Field::new("hostUsers", Bool, true, false, false),
            Field::new("hostname", Str, false, false, false),
            Field::new("hostnameOverride", Str, true, false, false),
            Field::new("imagePullSecrets", Struct(46), false, true, false),
            Field::new("initContainers", Struct(11), false, true, false),
            Field::new("nodeName", Str, false, false, false),
            Field::new("nodeSelector", Map, false, false, false),
            Field::new("os", Struct(47), true, false, false),
            Field::new("overhead", QuantityMap, false, false, false),
            Field::new("preemptionPolicy", Str, true, false, false),
            Field::new("priority", Int32, true, false, false),
            Field::new("priorityClassName", Str, false, false, false),
            Field::new("readinessGates", Struct(48), false, true, false),
            Field::new("resourceClaims", Struct(49), false, true, false),
            Field::new("resources", Struct(31), true, false, false),
            Field::new("restartPolicy", Str, false, false, false),
            Field::new("runtimeClassName", Str, true, false, false),
            Field::new("schedulerName", Str, false, false, false),
            Field::new("schedulingGates", Struct(47), false, true, false),
            Field::new("securityContext", Struct(50), true, false, false),
            Field::new("serviceAccount", Str, false, false, false),
            Field::new("serviceAccountName", Str, false, false, false),
            Field::new("setHostnameAsFQDN", Bool, true, false, false),
            Field::new("shareProcessNamespace", Bool, true, false, false),
            Field::new("subdomain", Str, false, false, false),
            Field::new("terminationGracePeriodSeconds", Int64, true, false, false),
            Field::new("tolerations", Struct(51), false, true, false),
            Field::new("topologySpreadConstraints", Struct(52), false, true, false),
            Field::new("volumes", Struct(53), false, true, false),
        ],
    },
    // 1
    StructDesc {
        name: "Affinity",
        fields: &[
            Field::new("nodeAffinity", Struct(2), true, false, false),
            Field::new("podAffinity", Struct(7), true, false, false),
            Field::new("podAntiAffinity", Struct(7), true, false, false),
        ],
    },
    // 2
    StructDesc {
        name: "NodeAffinity",
        fields: &[
            Field::new(
                "preferredDuringSchedulingIgnoredDuringExecution",
                Struct(3),
                false,
                true,
                false,
            ),
            Field::new(
                "requiredDuringSchedulingIgnoredDuringExecution",
                Struct(6),
                true,
                false,
                false,
            ),
        ],
    },
    // 3
    StructDesc {
        name: "PreferredSchedulingTerm",
        fields: &[
            Field::new("preference", Struct(4), false, false, true),
            Field::new("weight", Int32, false, false, true),
        ],
    },
    // 4
    StructDesc {
        name: "NodeSelectorTerm",
        fields: &[
            Field::new("matchExpressions", Struct(5), false, true, false),
            Field::new("matchFields", Struct(5), false, true, false),
        ],
    },
    // 5
    StructDesc {
        name: "SelectorRequirement",
        fields: &[
            Field::new("key", Str, false, false, true),
            Field::new("operator", Str, false, false, true),
            Field::new("values", Str, false, true, false),
        ],
    },
    // 6
    StructDesc {
        name: "NodeSelector",
        fields: &[Field::new(
            "nodeSelectorTerms",
            Struct(4),
            false,
            true,
            true,
        )],
    },
    // 7
    StructDesc {
        name: "PodAffinity",
        fields: &[
            Field::new(
                "preferredDuringSchedulingIgnoredDuringExecution",
                Struct(8),
                false,
                true,
                false,
            ),
            Field::new(
                "requiredDuringSchedulingIgnoredDuringExecution",
                Struct(9),
                false,
                true,
                false,
            ),
        ],
    },
    // 8
    StructDesc {
        name: "WeightedPodAffinityTerm",
        fields: &[
            Field::new("podAffinityTerm", Struct(9), false, false, true),
            Field::new("weight", Int32, false, false, true),
        ],
    },
    // 9
    StructDesc {
        name: "PodAffinityTerm",
        fields: &[
            Field::new("labelSelector", Struct(10), true, false, false),
            Field::new("matchLabelKeys", Str, false, true, false),
            Field::new("mismatchLabelKeys", Str, false, true, false),
            Field::new("namespaceSelector", Struct(10), true, false, false),
            Field::new("namespaces", Str, false, true, false),
            Field::new("topologyKey", Str, false, false, true),
        ],
    },
    // 10
    StructDesc {
        name: "LabelSelector",
        fields: &[
            Field::new("matchExpressions", Struct(5), false, true, false),
            Field::new("matchLabels", Map, false, false, false),
        ],
    },
    // 11
    StructDesc {
        name: "Container",
        fields: &[
            Field::new("args", Str, false, true, false),
            Field::new("command", Str, false, true, false),
            Field::new("env", Struct(12), false, true, false),
            Field::new("envFrom", Struct(18), false, true, false),
            Field::new("image", Str, false, false, false),
            Field::new("imagePullPolicy", Str, false, false, false),
            Field::new("lifecycle", Struct(20), true, false, false),
            Field::new("livenessProbe", Struct(27), true, false, false),
            Field::new("name", Str, false, false, true),
            Field::new("ports", Struct(29), false, true, false),
            Field::new("readinessProbe", Struct(27), true, false, false),
            Field::new("resizePolicy", Struct(30), false, true, false),
            Field::new("resources", Struct(31), false, false, false),
            Field::new("restartPolicy", Str, true, false, false),
            Field::new("restartPolicyRules", Struct(33), false, true, false),
            Field::new("securityContext", Struct(35), true, false, false),
            Field::new("startupProbe", Struct(27), true, false, false),
            Field::new("stdin", Bool, false, false, false),
            Field::new("stdinOnce", Bool, false, false, false),
            Field::new("terminationMessagePath", Str, false, false, false),
            Field::new("terminationMessagePolicy", Str, false, false, false),
            Field::new("tty", Bool, false, false, false),
            Field::new("volumeDevices", Struct(40), false, true, false),
            Field::new("volumeMounts", Struct(41), false, true, false),
            Field::new("workingDir", Str, false, false, false),
        ],
    },
    // 12
    StructDesc {
        name: "EnvVar",
        fields: &[
            Field::new("name", Str, false, false, true),
            Field::new("value", Str, false, false, false),
            Field::new("valueFrom", Struct(13), true, false, false),
        ],
    },
    // 13
    StructDesc {
        name: "EnvVarSource",
        fields: &[
            Field::new("configMapKeyRef", Struct(14), true, false, false),
            Field::new("fieldRef", Struct(15), true, false, false),
            Field::new("fileKeyRef", Struct(16), true, false, false),
            Field::new("resourceFieldRef", Struct(17), true, false, false),
            Field::new("secretKeyRef", Struct(14), true, false, false),
        ],
    },
    // 14
    StructDesc {
        name: "ConfigMapKeyRef",
        fields: &[
            Field::new("key", Str, false, false, true),
            Field::new("name", Str, false, false, false),
            Field::new("optional", Bool, true, false, false),
        ],
    },
    // 15
    StructDesc {
        name: "FieldRef",
        fields: &[
            Field::new("apiVersion", Str, false, false, false),
            Field::new("fieldPath", Str, false, false, true),
        ],
    },
    // 16
    StructDesc {
        name: "FileKeyRef",
        fields: &[
            Field::new("key", Str, false, false, true),
            Field::new("optional", Bool, true, false, false),
            Field::new("path", Str, false, false, true),
            Field::new("volumeName", Str, false, false, true),
        ],
    },
    // 17
    StructDesc {
        name: "ResourceFieldRef",
        fields: &[
            Field::new("containerName", Str, false, false, false),
            Field::new("divisor", Quantity, false, false, false),
            Field::new("resource", Str, false, false, true),
        ],
    },
    // 18
    StructDesc {
        name: "EnvFromSource",
        fields: &[
            Field::new("configMapRef", Struct(19), true, false, false),
            Field::new("prefix", Str, false, false, false),
            Field::new("secretRef", Struct(19), true, false, false),
        ],
    },
    // 19
    StructDesc {
        name: "ConfigMapRef",
        fields: &[
            Field::new("name", Str, false, false, false),
            Field::new("optional", Bool, true, false, false),
        ],
    },
    // 20
    StructDesc {
        name: "Lifecycle",
        fields: &[
            Field::new("postStart", Struct(21), true, false, false),
            Field::new("preStop", Struct(21), true, false, false),
            Field::new("stopSignal", Str, true, false, false),
        ],
    },
    // 21
    StructDesc {
        name: "LifecycleHandler",
        fields: &[
            Field::new("exec", Struct(22), true, false, false),
            Field::new("httpGet", Struct(23), true, false, false),
            Field::new("sleep", Struct(25), true, false, false),
            Field::new("tcpSocket", Struct(26), true, false, false),
        ],
    },
    // 22
    StructDesc {
        name: "Exec",
        fields: &[Field::new("command", Str, false, true, false)],
    },
    // 23
    StructDesc {
        name: "HttpGet",
        fields: &[
            Field::new("host", Str, false, false, false),
            Field::new("httpHeaders", Struct(24), false, true, false),
            Field::new("path", Str, false, false, false),
            Field::new("port", IntOrString, false, false, true),
            Field::new("scheme", Str, false, false, false),
        ],
    },
    // 24
    StructDesc {
        name: "NameValue",
        fields: &[
            Field::new("name", Str, false, false, true),
            Field::new("value", Str, false, false, true),
        ],
    },
    // 25
    StructDesc {
        name: "Sleep",
        fields: &[Field::new("seconds", Int32, false, false, true)],
    },
    // 26
    StructDesc {
        name: "TcpSocket",
        fields: &[
            Field::new("host", Str, false, false, false),
            Field::new("port", IntOrString, false, false, true),
        ],
    },
    // 27
    StructDesc {
        name: "Probe",
        fields: &[
            Field::new("exec", Struct(22), true, false, false),
            Field::new("failureThreshold", Int32, false, false, false),
            Field::new("grpc", Struct(28), true, false, false),
            Field::new("httpGet", Struct(23), true, false, false),
            Field::new("initialDelaySeconds", Int32, false, false, false),
            Field::new("periodSeconds", Int32, false, false, false),
            Field::new("successThreshold", Int32, false, false, false),
            Field::new("tcpSocket", Struct(26), true, false, false),
            Field::new("terminationGracePeriodSeconds", Int64, true, false, false),
            Field::new("timeoutSeconds", Int32, false, false, false),
        ],
    },
    // 28
    StructDesc {
        name: "Grpc",
        fields: &[
            Field::new("port", Int32, false, false, true),
            Field::new("service", Str, true, false, true),
        ],
    },
    // 29
    StructDesc {
        name: "ContainerPort",
        fields: &[
            Field::new("containerPort", Int32, false, false, true),
            Field::new("hostIP", Str, false, false, false),
            Field::new("hostPort", Int32, false, false, false),
            Field::new("name", Str, false, false, false),
            Field::new("protocol", Str, false, false, false),
        ],
    },
    // 30
    StructDesc {
        name: "ContainerResizePolicy",
        fields: &[
            Field::new("resourceName", Str, false, false, true),
            Field::new("restartPolicy", Str, false, false, true),
        ],
    },
    // 31
    StructDesc {
        name: "ResourceRequirements",
        fields: &[
            Field::new("claims", Struct(32), false, true, false),
            Field::new("limits", QuantityMap, false, false, false),
            Field::new("requests", QuantityMap, false, false, false),
        ],
    },
    // 32
    StructDesc {
        name: "ResourceClaimRef",
        fields: &[
            Field::new("name", Str, false, false, true),
            Field::new("request", Str, false, false, false),
        ],
    },
    // 33
    StructDesc {
        name: "RestartPolicyRule",
        fields: &[
            Field::new("action", Str, false, false, true),
            Field::new("exitCodes", Struct(34), true, false, false),
        ],
    },
    // 34
    StructDesc {
        name: "RestartRuleOnExitCodes",
        fields: &[
            Field::new("operator", Str, false, false, true),
            Field::new("values", Int32, false, true, false),
        ],
    },
    // 35
    StructDesc {
        name: "SecurityContext",
        fields: &[
            Field::new("allowPrivilegeEscalation", Bool, true, false, false),
            Field::new("appArmorProfile", Struct(36), true, false, false),
            Field::new("capabilities", Struct(37), true, false, false),
            Field::new("privileged", Bool, true, false, false),
            Field::new("procMount", Str, true, false, false),
            Field::new("readOnlyRootFilesystem", Bool, true, false, false),
            Field::new("runAsGroup", Int64, true, false, false),
            Field::new("runAsNonRoot", Bool, true, false, false),
            Field::new("runAsUser", Int64, true, false, false),
            Field::new("seLinuxOptions", Struct(38), true, false, false),
            Field::new("seccompProfile", Struct(36), true, false, false),
            Field::new("windowsOptions", Struct(39), true, false, false),
        ],
    },
    // 36
    StructDesc {
        name: "TypedProfile",
        fields: &[
            Field::new("localhostProfile", Str, true, false, false),
            Field::new("type", Str, false, false, true),
        ],
    },
    // 37
    StructDesc {
        name: "Capabilities",
        fields: &[
            Field::new("add", Str, false, true, false),
            Field::new("drop", Str, false, true, false),
        ],
    },
    // 38
    StructDesc {
        name: "SeLinuxOptions",
        fields: &[
            Field::new("level", Str, false, false, false),
            Field::new("role", Str, false, false, false),
            Field::new("type", Str, false, false, false),
            Field::new("user", Str, false, false, false),
        ],
    },
    // 39
    StructDesc {
        name: "WindowsOptions",
        fields: &[
            Field::new("gmsaCredentialSpec", Str, true, false, false),
            Field::new("gmsaCredentialSpecName", Str, true, false, false),
            Field::new("hostProcess", Bool, true, false, false),
            Field::new("runAsUserName", Str, true, false, false),
        ],
    },
    // 40
    StructDesc {
        name: "VolumeDevice",
        fields: &[
            Field::new("devicePath", Str, false, false, true),
            Field::new("name", Str, false, false, true),
        ],
    },
    // 41
    StructDesc {
        name: "VolumeMount",
        fields: &[
            Field::new("mountPath", Str, false, false, true),
            Field::new("mountPropagation", Str, true, false, false),
            Field::new("name", Str, false, false, true),
            Field::new("readOnly", Bool, false, false, false),
            Field::new("recursiveReadOnly", Str, true, false, false),
            Field::new("subPath", Str, false, false, false),
            Field::new("subPathExpr", Str, false, false, false),
        ],
    },
    // 42
    StructDesc {
        name: "PodDNSConfig",
        fields: &[
            Field::new("nameservers", Str, false, true, false),
            Field::new("options", Struct(43), false, true, false),
            Field::new("searches", Str, false, true, false),
        ],
    },
    // 43
    StructDesc {
        name: "PodDNSConfigOption",
        fields: &[
            Field::new("name", Str, false, false, false),
            Field::new("value", Str, true, false, false),
        ],
    },
    // 44
    StructDesc {
        name: "EphemeralContainer",
        fields: &[
            Field::new("args", Str, false, true, false),
            Field::new("command", Str, false, true, false),
            Field::new("env", Struct(12), false, true, false),
            Field::new("envFrom", Struct(18), false, true, false),
            Field::new("image", Str, false, false, false),
            Field::new("imagePullPolicy", Str, false, false, false),
            Field::new("lifecycle", Struct(20), true, false, false),
            Field::new("livenessProbe", Struct(27), true, false, false),
            Field::new("name", Str, false, false, true),
            Field::new("ports", Struct(29), false, true, false),
            Field::new("readinessProbe", Struct(27), true, false, false),
            Field::new("resizePolicy", Struct(30), false, true, false),
            Field::new("resources", Struct(31), false, false, false),
            Field::new("restartPolicy", Str, true, false, false),
            Field::new("restartPolicyRules", Struct(33), false, true, false),
            Field::new("securityContext", Struct(35), true, false, false),
            Field::new("startupProbe", Struct(27), true, false, false),
            Field::new("stdin", Bool, false, false, false),
            Field::new("stdinOnce", Bool, false, false, false),
            Field::new("targetContainerName", Str, false, false, false),
            Field::new("terminationMessagePath", Str, false, false, false),
            Field::new("terminationMessagePolicy", Str, false, false, false),
            Field::new("tty", Bool, false, false, false),
            Field::new("volumeDevices", Struct(40), false, true, false),
            Field::new("volumeMounts", Struct(41), false, true, false),
            Field::new("workingDir", Str, false, false, false),
        ],
    },
    // 45
    StructDesc {
        name: "HostAlias",
        fields: &[
            Field::new("hostnames", Str, false, true, false),
            Field::new("ip", Str, false, false, true),
        ],
    },
    // 46
    StructDesc {
        name: "LocalObjectReference",
        fields: &[Field::new("name", Str, false, false, false)],
    },
    // 47
    StructDesc {
        name: "NameOnly",
        fields: &[Field::new("name", Str, false, false, true)],
    },
    // 48
    StructDesc {
        name: "ReadinessGate",
        fields: &[Field::new("conditionType", Str, false, false, true)],
    },
    // 49
    StructDesc {
        name: "ResourceClaim",
        fields: &[
            Field::new("name", Str, false, false, true),
            Field::new("resourceClaimName", Str, true, false, false),
            Field::new("resourceClaimTemplateName", Str, true, false, false),
        ],
    },
    // 50
    StructDesc {
        name: "PodSecurityContext",
        fields: &[
            Field::new("appArmorProfile", Struct(36), true, false, false),
            Field::new("fsGroup", Int64, true, false, false),
            Field::new("fsGroupChangePolicy", Str, true, false, false),
            Field::new("runAsGroup", Int64, true, false, false),
            Field::new("runAsNonRoot", Bool, true, false, false),
            Field::new("runAsUser", Int64, true, false, false),
            Field::new("seLinuxChangePolicy", Str, true, false, false),
            Field::new("seLinuxOptions", Struct(38), true, false, false),
            Field::new("seccompProfile", Struct(36), true, false, false),
            Field::new("supplementalGroups", Int64, false, true, false),
            Field::new("supplementalGroupsPolicy", Str, true, false, false),
            Field::new("sysctls", Struct(24), false, true, false),
            Field::new("windowsOptions", Struct(39), true, false, false),
        ],
    },
    // 51
    StructDesc {
        name: "Toleration",
        fields: &[
            Field::new("effect", Str, false, false, false),
            Field::new("key", Str, false, false, false),
            Field::new("operator", Str, false, false, false),
            Field::new("tolerationSeconds", Int64, true, false, false),
            Field::new("value", Str, false, false, false),
        ],
    },
    // 52
    StructDesc {
        name: "TopologySpreadConstraint",
        fields: &[
            Field::new("labelSelector", Struct(10), true, false, false),
            Field::new("matchLabelKeys", Str, false, true, false),
            Field::new("maxSkew", Int32, false, false, true),
            Field::new("minDomains", Int32, true, false, false),
            Field::new("nodeAffinityPolicy", Str, true, false, false),
            Field::new("nodeTaintsPolicy", Str, true, false, false),
            Field::new("topologyKey", Str, false, false, true),
            Field::new("whenUnsatisfiable", Str, false, false, true),
        ],
    },
    // 53
    StructDesc {
        name: "Volume",
        fields: &[
            Field::new("awsElasticBlockStore", Struct(54), true, false, false),
            Field::new("azureDisk", Struct(55), true, false, false),
            Field::new("azureFile", Struct(56), true, false, false),
            Field::new("cephfs", Struct(57), true, false, false),
            Field::new("cinder", Struct(58), true, false, false),
            Field::new("configMap", Struct(59), true, false, false),
            Field::new("csi", Struct(61), true, false, false),
            Field::new("downwardAPI", Struct(62), true, false, false),
            Field::new("emptyDir", Struct(64), true, false, false),
            Field::new("ephemeral", Struct(65), true, false, false),
            Field::new("fc", Struct(72), true, false, false),
            Field::new("flexVolume", Struct(73), true, false, false),
            Field::new("flocker", Struct(74), true, false, false),
            Field::new("gcePersistentDisk", Struct(75), true, false, false),
            Field::new("gitRepo", Struct(76), true, false, false),
            Field::new("glusterfs", Struct(77), true, false, false),
            Field::new("hostPath", Struct(78), true, false, false),
            Field::new("image", Struct(79), true, false, false),
            Field::new("iscsi", Struct(80), true, false, false),
            Field::new("name", Str, false, false, true),
            Field::new("nfs", Struct(81), true, false, false),
            Field::new("persistentVolumeClaim", Struct(82), true, false, false),
            Field::new("photonPersistentDisk", Struct(83), true, false, false),
            Field::new("portworxVolume", Struct(84), true, false, false),
            Field::new("projected", Struct(85), true, false, false),
            Field::new("quobyte", Struct(92), true, false, false),
            Field::new("rbd", Struct(93), true, false, false),
            Field::new("scaleIO", Struct(94), true, false, false),
            Field::new("secret", Struct(95), true, false, false),
            Field::new("storageos", Struct(96), true, false, false),
            Field::new("vsphereVolume", Struct(97), true, false, false),
        ],
    },
    // 54
    StructDesc {
        name: "AwsElasticBlockStore",
        fields: &[
            Field::new("fsType", Str, false, false, false),
            Field::new("partition", Int32, false, false, false),
            Field::new("readOnly", Bool, false, false, false),
            Field::new("volumeID", Str, false, false, true),
        ],
    },
    // 55
    StructDesc {
        name: "AzureDisk",
        fields: &[
            Field::new("cachingMode", Str, true, false, false),
            Field::new("diskName", Str, false, false, true),
            Field::new("diskURI", Str, false, false, true),
            Field::new("fsType", Str, true, false, false),
            Field::new("kind", Str, true, false, false),
            Field::new("readOnly", Bool, true, false, false),
        ],
    },
    // 56
    StructDesc {
        name: "AzureFile",
        fields: &[
            Field::new("readOnly", Bool, false, false, false),
            Field::new("secretName", Str, false, false, true),
            Field::new("shareName", Str, false, false, true),
        ],
    },
    // 57
    StructDesc {
        name: "Cephfs",
        fields: &[
            Field::new("monitors", Str, false, true, true),
            Field::new("path", Str, false, false, false),
            Field::new("readOnly", Bool, false, false, false),
            Field::new("secretFile", Str, false, false, false),
            Field::new("secretRef", Struct(46), true, false, false),
            Field::new("user", Str, false, false, false),
        ],
    },
    // 58
    StructDesc {
        name: "Cinder",
        fields: &[
            Field::new("fsType", Str, false, false, false),
            Field::new("readOnly", Bool, false, false, false),
            Field::new("secretRef", Struct(46), true, false, false),
            Field::new("volumeID", Str, false, false, true),
        ],
    },
    // 59
    StructDesc {
        name: "ConfigMap",
        fields: &[
            Field::new("defaultMode", Int32, true, false, false),
            Field::new("items", Struct(60), false, true, false),
            Field::new("name", Str, false, false, false),
            Field::new("optional", Bool, true, false, false),
        ],
    },
    // 60
    StructDesc {
        name: "KeyToPath",
        fields: &[
            Field::new("key", Str, false, false, true),
            Field::new("mode", Int32, true, false, false),
            Field::new("path", Str, false, false, true),
        ],
    },
    // 61
    StructDesc {
        name: "Csi",
        fields: &[
            Field::new("driver", Str, false, false, true),
            Field::new("fsType", Str, true, false, false),
            Field::new("nodePublishSecretRef", Struct(46), true, false, false),
            Field::new("readOnly", Bool, true, false, false),
            Field::new("volumeAttributes", Map, false, false, false),
        ],
    },
    // 62
    StructDesc {
        name: "DownwardAPI",
        fields: &[
            Field::new("defaultMode", Int32, true, false, false),
            Field::new("items", Struct(63), false, true, false),
        ],
    },
    // 63
    StructDesc {
        name: "DownwardAPIVolumeFile",
        fields: &[
            Field::new("fieldRef", Struct(15), true, false, false),
            Field::new("mode", Int32, true, false, false),
            Field::new("path", Str, false, false, true),
            Field::new("resourceFieldRef", Struct(17), true, false, false),
        ],
    },
    // 64
    StructDesc {
        name: "EmptyDir",
        fields: &[
            Field::new("medium", Str, false, false, false),
            Field::new("sizeLimit", Quantity, true, false, false),
        ],
    },
    // 65
    StructDesc {
        name: "Ephemeral",
        fields: &[Field::new(
            "volumeClaimTemplate",
            Struct(66),
            true,
            false,
            false,
        )],
    },
    // 66
    StructDesc {
        name: "PersistentVolumeClaimTemplate",
        fields: &[
            Field::new("metadata", Struct(67), false, false, false),
            Field::new("spec", Struct(68), false, false, true),
        ],
    },
    // 67
    StructDesc {
        name: "ObjectMeta",
        fields: &[
            Field::new("annotations", Map, false, false, false),
            Field::new("finalizers", Str, false, true, false),
            Field::new("labels", Map, false, false, false),
            Field::new("name", Str, false, false, false),
            Field::new("namespace", Str, false, false, false),
        ],
    },
    // 68
    StructDesc {
        name: "PersistentVolumeClaimSpec",
        fields: &[
            Field::new("accessModes", Str, false, true, false),
            Field::new("dataSource", Struct(69), true, false, false),
            Field::new("dataSourceRef", Struct(70), true, false, false),
            Field::new("resources", Struct(71), false, false, false),
            Field::new("selector", Struct(10), true, false, false),
            Field::new("storageClassName", Str, true, false, false),
            Field::new("volumeAttributesClassName", Str, true, false, false),
            Field::new("volumeMode", Str, true, false, false),
            Field::new("volumeName", Str, false, false, false),
        ],
    },
    // 69
    StructDesc {
        name: "DataSource",
        fields: &[
            Field::new("apiGroup", Str, true, false, false),
            Field::new("kind", Str, false, false, true),
            Field::new("name", Str, false, false, true),
        ],
    },
    // 70
    StructDesc {
        name: "DataSourceRef",
        fields: &[
            Field::new("apiGroup", Str, true, false, false),
            Field::new("kind", Str, false, false, true),
            Field::new("name", Str, false, false, true),
            Field::new("namespace", Str, true, false, false),
        ],
    },
    // 71
    StructDesc {
        name: "VolumeResourceRequirements",
        fields: &[
            Field::new("limits", QuantityMap, false, false, false),
            Field::new("requests", QuantityMap, false, false, false),
        ],
    },
    // 72
    StructDesc {
        name: "Fc",
        fields: &[
            Field::new("fsType", Str, false, false, false),
            Field::new("lun", Int32, true, false, false),
            Field::new("readOnly", Bool, false, false, false),
            Field::new("targetWWNs", Str, false, true, false),
            Field::new("wwids", Str, false, true, false),
        ],
    },
    // 73
    StructDesc {
        name: "FlexVolume",
        fields: &[
            Field::new("driver", Str, false, false, true),
            Field::new("fsType", Str, false, false, false),
            Field::new("options", Map, false, false, false),
            Field::new("readOnly", Bool, false, false, false),
            Field::new("secretRef", Struct(46), true, false, false),
        ],
    },
    // 74
    StructDesc {
        name: "Flocker",
        fields: &[
            Field::new("datasetName", Str, false, false, false),
            Field::new("datasetUUID", Str, false, false, false),
        ],
    },
    // 75
    StructDesc {
        name: "GcePersistentDisk",
        fields: &[
            Field::new("fsType", Str, false, false, false),
            Field::new("partition", Int32, false, false, false),
            Field::new("pdName", Str, false, false, true),
            Field::new("readOnly", Bool, false, false, false),
        ],
    },
    // 76
    StructDesc {
        name: "GitRepo",
        fields: &[
            Field::new("directory", Str, false, false, false),
            Field::new("repository", Str, false, false, true),
            Field::new("revision", Str, false, false, false),
        ],
    },
    // 77
    StructDesc {
        name: "Glusterfs",
        fields: &[
            Field::new("endpoints", Str, false, false, true),
            Field::new("path", Str, false, false, true),
            Field::new("readOnly", Bool, false, false, false),
        ],
    },
    // 78
    StructDesc {
        name: "HostPath",
        fields: &[
            Field::new("path", Str, false, false, true),
            Field::new("type", Str, true, false, false),
        ],
    },
    // 79
    StructDesc {
        name: "Image",
        fields: &[
            Field::new("pullPolicy", Str, false, false, false),
            Field::new("reference", Str, false, false, false),
        ],
    },
    // 80
    StructDesc {
        name: "Iscsi",
        fields: &[
            Field::new("chapAuthDiscovery", Bool, false, false, false),
            Field::new("chapAuthSession", Bool, false, false, false),
            Field::new("fsType", Str, false, false, false),
            Field::new("initiatorName", Str, true, false, false),
            Field::new("iqn", Str, false, false, true),
            Field::new("iscsiInterface", Str, false, false, false),
            Field::new("lun", Int32, false, false, true),
            Field::new("portals", Str, false, true, false),
            Field::new("readOnly", Bool, false, false, false),
            Field::new("secretRef", Struct(46), true, false, false),
            Field::new("targetPortal", Str, false, false, true),
        ],
    },
    // 81
    StructDesc {
        name: "Nfs",
        fields: &[
            Field::new("path", Str, false, false, true),
            Field::new("readOnly", Bool, false, false, false),
            Field::new("server", Str, false, false, true),
        ],
    },
    // 82
    StructDesc {
        name: "PersistentVolumeClaim",
        fields: &[
            Field::new("claimName", Str, false, false, true),
            Field::new("readOnly", Bool, false, false, false),
        ],
    },
    // 83
    StructDesc {
        name: "PhotonPersistentDisk",
        fields: &[
            Field::new("fsType", Str, false, false, false),
            Field::new("pdID", Str, false, false, true),
        ],
    },
    // 84
    StructDesc {
        name: "PortworxVolume",
        fields: &[
            Field::new("fsType", Str, false, false, false),
            Field::new("readOnly", Bool, false, false, false),
            Field::new("volumeID", Str, false, false, true),
        ],
    },
    // 85
    StructDesc {
        name: "Projected",
        fields: &[
            Field::new("defaultMode", Int32, true, false, false),
            Field::new("sources", Struct(86), false, true, true),
        ],
    },
    // 86
    StructDesc {
        name: "VolumeProjection",
        fields: &[
            Field::new("clusterTrustBundle", Struct(87), true, false, false),
            Field::new("configMap", Struct(88), true, false, false),
            Field::new("downwardAPI", Struct(89), true, false, false),
            Field::new("podCertificate", Struct(90), true, false, false),
            Field::new("secret", Struct(88), true, false, false),
            Field::new("serviceAccountToken", Struct(91), true, false, false),
        ],
    },
    // 87
    StructDesc {
        name: "ClusterTrustBundle",
        fields: &[
            Field::new("labelSelector", Struct(10), true, false, false),
            Field::new("name", Str, true, false, false),
            Field::new("optional", Bool, true, false, false),
            Field::new("path", Str, false, false, true),
            Field::new("signerName", Str, true, false, false),
        ],
    },
    // 88
    StructDesc {
        name: "Projection",
        fields: &[
            Field::new("items", Struct(60), false, true, false),
            Field::new("name", Str, false, false, false),
            Field::new("optional", Bool, true, false, false),
        ],
    },
    // 89
    StructDesc {
        name: "DownwardAPIProjection",
        fields: &[Field::new("items", Struct(63), false, true, false)],
    },
    // 90
    StructDesc {
        name: "PodCertificate",
        fields: &[
            Field::new("certificateChainPath", Str, false, false, false),
            Field::new("credentialBundlePath", Str, false, false, false),
            Field::new("keyPath", Str, false, false, false),
            Field::new("keyType", Str, false, false, true),
            Field::new("maxExpirationSeconds", Int32, true, false, false),
            Field::new("signerName", Str, false, false, true),
        ],
    },
    // 91
    StructDesc {
        name: "ServiceAccountToken",
        fields: &[
            Field::new("audience", Str, false, false, false),
            Field::new("expirationSeconds", Int64, true, false, false),
            Field::new("path", Str, false, false, true),
        ],
    },
    // 92
    StructDesc {
        name: "Quobyte",
        fields: &[
            Field::new("group", Str, false, false, false),
            Field::new("readOnly", Bool, false, false, false),
            Field::new("registry", Str, false, false, true),
            Field::new("tenant", Str, false, false, false),
            Field::new("user", Str, false, false, false),
            Field::new("volume", Str, false, false, true),
        ],
    },
    // 93
    StructDesc {
        name: "Rbd",
        fields: &[
            Field::new("fsType", Str, false, false, false),
            Field::new("image", Str, false, false, true),
            Field::new("keyring", Str, false, false, false),
            Field::new("monitors", Str, false, true, true),
            Field::new("pool", Str, false, false, false),
            Field::new("readOnly", Bool, false, false, false),
            Field::new("secretRef", Struct(46), true, false, false),
            Field::new("user", Str, false, false, false),
        ],
    },
    // 94
    StructDesc {
        name: "ScaleIO",
        fields: &[
            Field::new("fsType", Str, false, false, false),
            Field::new("gateway", Str, false, false, true),
            Field::new("protectionDomain", Str, false, false, false),
            Field::new("readOnly", Bool, false, false, false),
            Field::new("secretRef", Struct(46), true, false, true),
            Field::new("sslEnabled", Bool, false, false, false),
            Field::new("storageMode", Str, false, false, false),
            Field::new("storagePool", Str, false, false, false),
            Field::new("system", Str, false, false, true),
            Field::new("volumeName", Str, false, false, false),
        ],
    },
    // 95
    StructDesc {
        name: "Secret",
        fields: &[
            Field::new("defaultMode", Int32, true, false, false),
            Field::new("items", Struct(60), false, true, false),
            Field::new("optional", Bool, true, false, false),
            Field::new("secretName", Str, false, false, false),
        ],
    },
    // 96
    StructDesc {
        name: "Storageos",
        fields: &[
            Field::new("fsType", Str, false, false, false),
            Field::new("readOnly", Bool, false, false, false),
            Field::new("secretRef", Struct(46), true, false, false),
            Field::new("volumeName", Str, false, false, false),
            Field::new("volumeNamespace", Str, false, false, false),
        ],
    },
    // 97
    StructDesc {
        name: "VsphereVolume",
        fields: &[
            Field::new("fsType", Str, false, false, false),
            Field::new("storagePolicyID", Str, false, false, false),
            Field::new("storagePolicyName", Str, false, false, false),
            Field::new("volumePath", Str, false, false, true),
        ],
    },
];
