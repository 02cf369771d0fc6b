"""Table responses (meta.k8s.io/v1 Table) as kube-apiserver builds them for `kubectl get`.

Columns and cells follow kubernetes pkg/printers/internalversion/printers.go (the
server always prints the wide set; clients hide priority>0 columns), custom
resources follow apiextensions-apiserver's tableconvertor (additionalPrinterColumns,
default Age), and kinds without a printer get apiserver registry/rest/table.go's
default columns Name and Created At. Ages use apimachinery duration.HumanDuration.
"""

import datetime
import json
import re

# Column descriptions: the upstream field documentation (SwaggerDoc), from the Kubernetes OpenAPI document.
DESC = {'CSRSpec.expirationSeconds': 'expirationSeconds is the requested duration of validity of the issued '
                              'certificate. The certificate signer may issue a certificate with a different '
                              'validity duration so a client must check the delta between the notBefore and '
                              'and notAfter fields in the issued certificate to determine the actual '
                              'duration.\n'
                              '\n'
                              'The v1.22+ in-tree implementations of the well-known Kubernetes signers will '
                              'honor this field as long as the requested duration is not greater than the '
                              'maximum duration they will honor per the --cluster-signing-duration CLI flag '
                              'to the Kubernetes controller manager.\n'
                              '\n'
                              'Certificate signers may not honor this field for various reasons:\n'
                              '\n'
                              '  1. Old signer that is unaware of the field (such as the in-tree\n'
                              '     implementations prior to v1.22)\n'
                              '  2. Signer whose configured maximum is shorter than the requested duration\n'
                              '  3. Signer whose configured minimum is longer than the requested duration\n'
                              '\n'
                              'The minimum valid value for expirationSeconds is 600, i.e. 10 minutes.',
 'CSRSpec.request': 'request contains an x509 certificate signing request encoded in a "CERTIFICATE REQUEST" '
                    'PEM block. When serialized as JSON or YAML, the data is additionally base64-encoded.',
 'CSRSpec.signerName': 'signerName indicates the requested signer, and is a qualified name.\n'
                       '\n'
                       'List/watch requests for CertificateSigningRequests can filter on this field using a '
                       '"spec.signerName=NAME" fieldSelector.\n'
                       '\n'
                       'Well-known Kubernetes signers are:\n'
                       ' 1. "kubernetes.io/kube-apiserver-client": issues client certificates that can be '
                       'used to authenticate to kube-apiserver.\n'
                       '  Requests for this signer are never auto-approved by kube-controller-manager, can '
                       'be issued by the "csrsigning" controller in kube-controller-manager.\n'
                       ' 2. "kubernetes.io/kube-apiserver-client-kubelet": issues client certificates that '
                       'kubelets use to authenticate to kube-apiserver.\n'
                       '  Requests for this signer can be auto-approved by the "csrapproving" controller in '
                       'kube-controller-manager, and can be issued by the "csrsigning" controller in '
                       'kube-controller-manager.\n'
                       ' 3. "kubernetes.io/kubelet-serving" issues serving certificates that kubelets use to '
                       'serve TLS endpoints, which kube-apiserver can connect to securely.\n'
                       '  Requests for this signer are never auto-approved by kube-controller-manager, and '
                       'can be issued by the "csrsigning" controller in kube-controller-manager.\n'
                       '\n'
                       'More details are available at '
                       'https://k8s.io/docs/reference/access-authn-authz/certificate-signing-requests/#kubernetes-signers\n'
                       '\n'
                       'Custom signerNames can also be specified. The signer defines:\n'
                       ' 1. Trust distribution: how trust (CA bundles) are distributed.\n'
                       ' 2. Permitted subjects: and behavior when a disallowed subject is requested.\n'
                       ' 3. Required, permitted, or forbidden x509 extensions in the request (including '
                       'whether subjectAltNames are allowed, which types, restrictions on allowed values) '
                       'and behavior when a disallowed extension is requested.\n'
                       ' 4. Required, permitted, or forbidden key usages / extended key usages.\n'
                       ' 5. Expiration/certificate lifetime: whether it is fixed by the signer, configurable '
                       'by the admin.\n'
                       ' 6. Whether or not requests for CA certificates are allowed.',
 'CSRStatus.conditions': 'conditions applied to the request. Known conditions are "Approved", "Denied", and '
                         '"Failed".',
 'ClusterRoleBinding.roleRef': 'RoleRef can only reference a ClusterRole in the global namespace. If the '
                               'RoleRef cannot be resolved, the Authorizer must return an error. This field '
                               'is immutable.',
 'ConfigMap.data': 'Data contains the configuration data. Each key must consist of alphanumeric characters, '
                   "'-', '_' or '.'. Values with non-UTF-8 byte sequences must use the BinaryData field. The "
                   'keys stored in Data must not overlap with the keys in the BinaryData field, this is '
                   'enforced during validation process.',
 'CronJobSpec.schedule': 'The schedule in Cron format, see https://en.wikipedia.org/wiki/Cron.',
 'CronJobSpec.suspend': 'This flag tells the controller to suspend subsequent executions, it does not apply '
                        'to already started executions.  Defaults to false.',
 'CronJobSpec.timeZone': 'The time zone name for the given schedule, see '
                         'https://en.wikipedia.org/wiki/List_of_tz_database_time_zones. If not specified, '
                         'this will default to the time zone of the kube-controller-manager process. The set '
                         'of valid time zone names and the time zone offset is loaded from the system-wide '
                         'time zone database by the API server during CronJob validation and the controller '
                         'manager during execution. If no system-wide time zone database can be found a '
                         'bundled version of the database is used instead. If the time zone name becomes '
                         'invalid during the lifetime of a CronJob or due to a change in host configuration, '
                         'the controller will stop creating new new Jobs and will create a system event with '
                         'the reason UnknownTimeZone. More information can be found in '
                         'https://kubernetes.io/docs/concepts/workloads/controllers/cron-jobs/#time-zones',
 'CronJobStatus.active': 'A list of pointers to currently running jobs.',
 'CronJobStatus.lastScheduleTime': 'Information when was the last time the job was successfully scheduled.',
 'DaemonSetSpec.selector': 'A label query over pods that are managed by the daemon set. Must match in order '
                           "to be controlled. It must match the pod template's labels. More info: "
                           'https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#label-selectors',
 'DaemonSetStatus.currentNumberScheduled': 'The number of nodes that are running at least 1 daemon pod and '
                                           'are supposed to run the daemon pod. More info: '
                                           'https://kubernetes.io/docs/concepts/workloads/controllers/daemonset/',
 'DaemonSetStatus.desiredNumberScheduled': 'The total number of nodes that should be running the daemon pod '
                                           '(including nodes correctly running the daemon pod). More info: '
                                           'https://kubernetes.io/docs/concepts/workloads/controllers/daemonset/',
 'DaemonSetStatus.numberAvailable': 'The number of nodes that should be running the daemon pod and have one '
                                    'or more of the daemon pod running and available (ready for at least '
                                    'spec.minReadySeconds)',
 'DaemonSetStatus.numberReady': 'numberReady is the number of nodes that should be running the daemon pod '
                                'and have one or more of the daemon pod running with a Ready Condition.',
 'DaemonSetStatus.updatedNumberScheduled': 'The total number of nodes that are running updated daemon pod',
 'DeploymentSpec.selector': 'Label selector for pods. Existing ReplicaSets whose pods are selected by this '
                            "will be the ones affected by this deployment. It must match the pod template's "
                            'labels.',
 'DeploymentStatus.availableReplicas': 'Total number of available non-terminating pods (ready for at least '
                                       'minReadySeconds) targeted by this deployment.',
 'DeploymentStatus.updatedReplicas': 'Total number of non-terminating pods targeted by this deployment that '
                                     'have the desired template spec.',
 'EndpointSlice.addressType': 'addressType specifies the type of address carried by this EndpointSlice. All '
                              'addresses in this slice must be the same type. This field is immutable after '
                              'creation. The following address types are currently supported: * IPv4: '
                              'Represents an IPv4 Address. * IPv6: Represents an IPv6 Address. * FQDN: '
                              'Represents a Fully Qualified Domain Name. (Deprecated) The EndpointSlice '
                              'controller only generates, and kube-proxy only processes, slices of '
                              'addressType "IPv4" and "IPv6". No semantics are defined for the "FQDN" type.',
 'EndpointSlice.endpoints': 'endpoints is a list of unique endpoints in this slice. Each slice may include a '
                            'maximum of 1000 endpoints.',
 'EndpointSlice.ports': 'ports specifies the list of network ports exposed by each endpoint in this slice. '
                        'Each port must have a unique name. Each slice may include a maximum of 100 ports. '
                        'Services always have at least 1 port, so EndpointSlices generated by the '
                        'EndpointSlice controller will likewise always have at least 1 port. EndpointSlices '
                        'used for other purposes may have an empty ports list.',
 'Endpoints.subsets': 'The set of all endpoints is the union of all subsets. Addresses are placed into '
                      'subsets according to the IPs they share. A single address with multiple ports, some '
                      'of which are ready and some of which are not (because they come from different '
                      'containers) will result in the address being displayed in different subsets for the '
                      'different ports. No address will appear in both Addresses and NotReadyAddresses in '
                      'the same subset. Sets of addresses and ports that comprise a service.',
 'Event.count': 'The number of times this event has occurred.',
 'Event.firstTimestamp': 'The time at which the event was first recorded. (Time of server receipt is in '
                         'TypeMeta.)',
 'Event.involvedObject': 'The object that this event is about.',
 'Event.lastTimestamp': 'The time at which the most recent occurrence of this event was recorded.',
 'Event.message': 'A human-readable description of the status of this operation.',
 'Event.reason': 'This should be a short, machine understandable string that gives the reason for the '
                 "transition into the object's current status.",
 'Event.source': 'The component reporting this event. Should be a short machine understandable string.',
 'Event.type': 'Type of this event (Normal, Warning), new types could be added in the future',
 'HPASpec.maxReplicas': 'maxReplicas is the upper limit for the number of replicas to which the autoscaler '
                        'can scale up. It cannot be less that minReplicas.',
 'HPASpec.metrics': 'metrics contains the specifications for which to use to calculate the desired replica '
                    'count (the maximum replica count across all metrics will be used).  The desired replica '
                    'count is calculated multiplying the ratio between the target value and the current '
                    'value by the current number of pods.  Ergo, metrics used must decrease as the pod count '
                    'is increased, and vice-versa.  See the individual metric source types for more '
                    'information about how each type of metric must respond. If not set, the default metric '
                    'will be set to 80% average CPU utilization.',
 'HPASpec.minReplicas': 'minReplicas is the lower limit for the number of replicas to which the autoscaler '
                        'can scale down.  It defaults to 1 pod.  minReplicas is allowed to be 0 if the alpha '
                        'feature gate HPAScaleToZero is enabled and at least one Object or External metric '
                        'is configured.  Scaling is active as long as at least one metric value is '
                        'available.',
 'HPASpec.scaleTargetRef': 'scaleTargetRef points to the target resource to scale, and is used to the pods '
                           'for which metrics should be collected, as well as to actually change the replica '
                           'count.',
 'HPAStatus.currentReplicas': 'currentReplicas is current number of replicas of pods managed by this '
                              'autoscaler, as last seen by the autoscaler.',
 'JobSpec.selector': 'A label query over pods that should match the pod count. Normally, the system sets '
                     'this field for you. More info: '
                     'https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#label-selectors',
 'JobStatus.succeeded': 'The number of pods which reached phase Succeeded. The value increases monotonically '
                        'for a given spec. However, it may decrease in reaction to scale down of elastic '
                        'indexed jobs.',
 'LeaseSpec.holderIdentity': 'holderIdentity contains the identity of the holder of a current lease. If '
                             'Coordinated Leader Election is used, the holder identity must be equal to the '
                             'elected LeaseCandidate.metadata.name field.',
 'NodeStatus.addresses': 'List of addresses reachable to the node. Queried from cloud provider, if '
                         'available. More info: '
                         'https://kubernetes.io/docs/reference/node/node-status/#addresses Note: This field '
                         'is declared as mergeable, but the merge key is not sufficiently unique, which can '
                         'cause data corruption when it is merged. Callers should instead use a '
                         'full-replacement patch. See https://pr.k8s.io/79391 for an example. Consumers '
                         'should assume that addresses can change during the lifetime of a Node. However, '
                         'there are some exceptions where this may not be possible, such as Pods that '
                         "inherit a Node's address in its own status or consumers of the downward API "
                         '(status.hostIP).',
 'NodeSystemInfo.containerRuntimeVersion': 'ContainerRuntime Version reported by the node through runtime '
                                           'remote API (e.g. containerd://1.4.2).',
 'NodeSystemInfo.kernelVersion': "Kernel Version reported by the node from 'uname -r' (e.g. "
                                 '3.16.0-0.bpo.4-amd64).',
 'NodeSystemInfo.kubeletVersion': 'Kubelet Version reported by the node.',
 'NodeSystemInfo.osImage': 'OS Image reported by the node from /etc/os-release (e.g. Debian GNU/Linux 7 '
                           '(wheezy)).',
 'ObjectReference.fieldPath': 'If referring to a piece of an object instead of an entire object, this string '
                              'should contain a valid JSON/Go field access statement, such as '
                              'desiredState.manifest.containers[2]. For example, if the object reference is '
                              'to a container within a pod, this would take on a value like: '
                              '"spec.containers{name}" (where "name" refers to the name of the container '
                              'that triggered the event) or if no container name is specified '
                              '"spec.containers[2]" (container with index 2 in this pod). This syntax is '
                              'chosen only to have some well-defined way of referencing a part of an object.',
 'PersistentVolumeClaimSpec.volumeMode': 'volumeMode defines what type of volume is required by the claim. '
                                         'Value of Filesystem is implied when not included in claim spec.',
 'PersistentVolumeClaimSpec.volumeName': 'volumeName is the binding reference to the PersistentVolume '
                                         'backing this claim.',
 'PersistentVolumeClaimStatus.accessModes': 'accessModes contains the actual access modes the volume backing '
                                            'the PVC has. More info: '
                                            'https://kubernetes.io/docs/concepts/storage/persistent-volumes#access-modes-1',
 'PersistentVolumeClaimStatus.capacity': 'capacity represents the actual resources of the underlying volume.',
 'PersistentVolumeClaimStatus.phase': 'phase represents the current phase of PersistentVolumeClaim.',
 'PersistentVolumeSpec.accessModes': 'accessModes contains all ways the volume can be mounted. More info: '
                                     'https://kubernetes.io/docs/concepts/storage/persistent-volumes#access-modes',
 'PersistentVolumeSpec.capacity': "capacity is the description of the persistent volume's resources and "
                                  'capacity. More info: '
                                  'https://kubernetes.io/docs/concepts/storage/persistent-volumes#capacity',
 'PersistentVolumeSpec.claimRef': 'claimRef is part of a bi-directional binding between PersistentVolume and '
                                  'PersistentVolumeClaim. Expected to be non-nil when bound. '
                                  'claim.VolumeName is the authoritative bind between PV and PVC. More info: '
                                  'https://kubernetes.io/docs/concepts/storage/persistent-volumes#binding',
 'PersistentVolumeSpec.persistentVolumeReclaimPolicy': 'persistentVolumeReclaimPolicy defines what happens '
                                                       'to a persistent volume when released from its claim. '
                                                       'Valid options are Retain (default for manually '
                                                       'created PersistentVolumes), Delete (default for '
                                                       'dynamically provisioned PersistentVolumes), and '
                                                       'Recycle (deprecated). Recycle must be supported by '
                                                       'the volume plugin underlying this PersistentVolume. '
                                                       'More info: '
                                                       'https://kubernetes.io/docs/concepts/storage/persistent-volumes#reclaiming',
 'PersistentVolumeSpec.volumeMode': 'volumeMode defines if a volume is intended to be used with a formatted '
                                    'filesystem or to remain in raw block state. Value of Filesystem is '
                                    'implied when not included in spec.',
 'PersistentVolumeStatus.phase': 'phase indicates if a volume is available, bound to a claim, or released by '
                                 'a claim. More info: '
                                 'https://kubernetes.io/docs/concepts/storage/persistent-volumes#phase',
 'PersistentVolumeStatus.reason': 'reason is a brief CamelCase string that describes any failure and is '
                                  'meant for machine parsing and tidy display in the CLI.',
 'PodSpec.nodeName': 'NodeName indicates in which node this pod is scheduled. If empty, this pod is a '
                     'candidate for scheduling by the scheduler defined in schedulerName. Once this field is '
                     'set, the kubelet for this node becomes responsible for the lifecycle of this pod. This '
                     'field should not be used to express a desire for the pod to be scheduled on a specific '
                     'node. '
                     'https://kubernetes.io/docs/concepts/scheduling-eviction/assign-pod-node/#nodename',
 'PodSpec.nodeSelector': 'NodeSelector is a selector which must be true for the pod to fit on a node. '
                         "Selector which must match a node's labels for the pod to be scheduled on that "
                         'node. More info: '
                         'https://kubernetes.io/docs/concepts/configuration/assign-pod-node/',
 'PodSpec.readinessGates': 'If specified, all readiness gates will be evaluated for pod readiness. A pod is '
                           'ready when all its containers are ready AND all conditions specified in the '
                           'readiness gates have status equal to "True" More info: '
                           'https://git.k8s.io/enhancements/keps/sig-network/580-pod-readiness-gates',
 'PodStatus.nominatedNodeName': 'nominatedNodeName is set only when this pod preempts other pods on the '
                                'node, but it cannot be scheduled right away as preemption victims receive '
                                'their graceful termination periods. This field does not guarantee that the '
                                'pod will be scheduled on this node. Scheduler may decide to place the pod '
                                'elsewhere if other nodes become available sooner. Scheduler may also decide '
                                'to give the resources on this node to a higher priority pod that is created '
                                'after preemption. As a result, this field may be different than '
                                'PodSpec.nodeName when the pod is scheduled.',
 'PodStatus.podIP': 'podIP address allocated to the pod. Routable at least within the cluster. Empty if not '
                    'yet allocated.',
 'ReplicaSetSpec.replicas': 'Replicas is the number of desired pods. This is a pointer to distinguish '
                            'between explicit zero and unspecified. Defaults to 1. More info: '
                            'https://kubernetes.io/docs/concepts/workloads/controllers/replicaset',
 'ReplicaSetSpec.selector': 'Selector is a label query over pods that should match the replica count. Label '
                            'keys and values that must match in order to be controlled by this replica set. '
                            "It must match the pod template's labels. More info: "
                            'https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#label-selectors',
 'ReplicaSetStatus.readyReplicas': 'The number of non-terminating pods targeted by this ReplicaSet with a '
                                   'Ready Condition.',
 'ReplicaSetStatus.replicas': 'Replicas is the most recently observed number of non-terminating pods. More '
                              'info: https://kubernetes.io/docs/concepts/workloads/controllers/replicaset',
 'RoleBinding.roleRef': 'RoleRef can reference a Role in the current namespace or a ClusterRole in the '
                        'global namespace. If the RoleRef cannot be resolved, the Authorizer must return an '
                        'error. This field is immutable.',
 'Secret.data': "Data contains the secret data. Each key must consist of alphanumeric characters, '-', '_' "
                "or '.'. The serialized form of the secret data is a base64 encoded string, representing the "
                'arbitrary (possibly non-string) data value here. Described in '
                'https://tools.ietf.org/html/rfc4648#section-4',
 'Secret.type': 'Used to facilitate programmatic handling of secret data. More info: '
                'https://kubernetes.io/docs/concepts/configuration/secret/#secret-types',
 'ServiceAccount.secrets': 'Secrets is a list of the secrets in the same namespace that pods running using '
                           'this ServiceAccount are allowed to use. Pods are only limited to this list if '
                           'this service account has a "kubernetes.io/enforce-mountable-secrets" annotation '
                           'set to "true". The "kubernetes.io/enforce-mountable-secrets" annotation is '
                           'deprecated since v1.32. Prefer separate namespaces to isolate access to mounted '
                           'secrets. This field should not be used to find auto-generated service account '
                           'token secrets for use outside of pods. Instead, tokens can be requested directly '
                           'using the TokenRequest API, or service account token secrets can be manually '
                           'created. More info: https://kubernetes.io/docs/concepts/configuration/secret',
 'ServiceSpec.clusterIP': 'clusterIP is the IP address of the service and is usually assigned randomly. If '
                          'an address is specified manually, is in-range (as per system configuration), and '
                          'is not in use, it will be allocated to the service; otherwise creation of the '
                          'service will fail. This field may not be changed through updates unless the type '
                          'field is also being changed to ExternalName (which requires this field to be '
                          'blank) or the type field is being changed from ExternalName (in which case this '
                          'field may optionally be specified, as describe above).  Valid values are "None", '
                          'empty string (""), or a valid IP address. Setting this to "None" makes a '
                          '"headless service" (no virtual IP), which is useful when direct endpoint '
                          'connections are preferred and proxying is not required.  Only applies to types '
                          'ClusterIP, NodePort, and LoadBalancer. If this field is specified when creating a '
                          'Service of type ExternalName, creation will fail. This field will be wiped when '
                          'updating a Service to type ExternalName. More info: '
                          'https://kubernetes.io/docs/concepts/services-networking/service/#virtual-ips-and-service-proxies',
 'ServiceSpec.externalIPs': 'externalIPs is a list of IP addresses for which nodes in the cluster will also '
                            'accept traffic for this service.  These IPs are not managed by Kubernetes.  The '
                            'user is responsible for ensuring that traffic arrives at a node with this IP.  '
                            'A common example is external load-balancers that are not part of the Kubernetes '
                            'system.',
 'ServiceSpec.ports': 'The list of ports that are exposed by this service. More info: '
                      'https://kubernetes.io/docs/concepts/services-networking/service/#virtual-ips-and-service-proxies',
 'ServiceSpec.selector': 'Route service traffic to pods with label keys and values matching this selector. '
                         'If empty or not present, the service is assumed to have an external process '
                         'managing its endpoints, which Kubernetes will not modify. Only applies to types '
                         'ClusterIP, NodePort, and LoadBalancer. Ignored if type is ExternalName. More info: '
                         'https://kubernetes.io/docs/concepts/services-networking/service/',
 'ServiceSpec.type': 'type determines how the Service is exposed. Defaults to ClusterIP. Valid options are '
                     'ExternalName, ClusterIP, NodePort, and LoadBalancer. "ClusterIP" allocates a '
                     'cluster-internal IP address for load-balancing to endpoints. Endpoints are determined '
                     'by the selector or if that is not specified, by manual construction of an Endpoints '
                     'object or EndpointSlice objects. If clusterIP is "None", no virtual IP is allocated '
                     'and the endpoints are published as a set of endpoints rather than a virtual IP. '
                     '"NodePort" builds on ClusterIP and allocates a port on every node which routes to the '
                     'same endpoints as the clusterIP. "LoadBalancer" builds on NodePort and creates an '
                     'external load-balancer (if supported in the current cloud) which routes to the same '
                     'endpoints as the clusterIP. "ExternalName" aliases this service to the specified '
                     'externalName. Several other fields do not apply to ExternalName services. More info: '
                     'https://kubernetes.io/docs/concepts/services-networking/service/#publishing-services-service-types',
 'meta.creationTimestamp': 'CreationTimestamp is a timestamp representing the server time when this object '
                           'was created. It is not guaranteed to be set in happens-before order across '
                           'separate operations. Clients may not set this value. It is represented in '
                           'RFC3339 form and is in UTC.\n'
                           '\n'
                           'Populated by the system. Read-only. Null for lists. More info: '
                           'https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata',
 'meta.name': 'Name must be unique within a namespace. Is required when creating resources, although some '
              'resources may allow a client to request the generation of an appropriate name automatically. '
              'Name is primarily intended for creation idempotence and configuration definition. Cannot be '
              'updated. More info: '
              'https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names'}
DESC.update({'ControllerRevision.revision': 'Revision indicates the revision of the state represented by Data.',
 'NetworkPolicySpec.podSelector': 'podSelector selects the pods to which this NetworkPolicy object applies. '
                                  'The array of rules is applied to any pods selected by this field. An '
                                  "empty selector matches all pods in the policy's namespace. Multiple "
                                  'network policies can select the same set of pods. In this case, the '
                                  'ingress rules for each are combined additively. This field is optional. '
                                  'If it is not specified, it defaults to an empty selector.',
 'PriorityClass.globalDefault': 'globalDefault specifies whether this PriorityClass should be considered as '
                                'the default priority for pods that do not have any priority class. Only one '
                                'PriorityClass can be marked as `globalDefault`. However, if more than one '
                                'PriorityClasses exists with their `globalDefault` field set to true, the '
                                'smallest value of such global default PriorityClasses will be used as the '
                                'default priority.',
 'PriorityClass.preemptionPolicy': 'preemptionPolicy is the Policy for preempting pods with lower priority. '
                                   'One of Never, PreemptLowerPriority. Defaults to PreemptLowerPriority if '
                                   'unset.',
 'PriorityClass.value': 'value represents the integer value of this priority class. This is the actual '
                        'priority that pods receive when they have the name of this class in their pod spec.',
 'StorageClass.allowVolumeExpansion': 'allowVolumeExpansion shows whether the storage class allow volume '
                                      'expand.',
 'StorageClass.provisioner': 'provisioner indicates the type of the provisioner.',
 'StorageClass.reclaimPolicy': 'reclaimPolicy controls the reclaimPolicy for dynamically provisioned '
                               'PersistentVolumes of this storage class. Defaults to Delete.',
 'StorageClass.volumeBindingMode': 'volumeBindingMode indicates how PersistentVolumeClaims should be '
                                   'provisioned and bound.  When unset, VolumeBindingImmediate is used. This '
                                   'field is only honored by servers that enable the VolumeScheduling '
                                   'feature.'})


# ---------------------------------------------------------------------------
# time helpers
# ---------------------------------------------------------------------------

def human_duration(d):
    """apimachinery pkg/util/duration.HumanDuration for a datetime.timedelta."""
    total = d.total_seconds()
    seconds = int(total)  # Go int(d.Seconds()) truncates toward zero
    if seconds < -1:
        return "<invalid>"
    if seconds < 0:
        return "0s"
    if seconds < 60 * 2:
        return "%ds" % seconds
    minutes = int(total // 60)
    if minutes < 10:
        s = seconds % 60
        if s == 0:
            return "%dm" % minutes
        return "%dm%ds" % (minutes, s)
    if minutes < 60 * 3:
        return "%dm" % minutes
    hours = int(total // 3600)
    if hours < 8:
        m = minutes % 60
        if m == 0:
            return "%dh" % hours
        return "%dh%dm" % (hours, m)
    if hours < 48:
        return "%dh" % hours
    if hours < 24 * 8:
        h = hours % 24
        if h == 0:
            return "%dd" % (hours // 24)
        return "%dd%dh" % (hours // 24, h)
    if hours < 24 * 365 * 2:
        return "%dd" % (hours // 24)
    if hours < 24 * 365 * 8:
        dy = (hours // 24) % 365
        if dy == 0:
            return "%dy" % (hours // 24 // 365)
        return "%dy%dd" % (hours // 24 // 365, dy)
    return "%dy" % (hours // 24 // 365)


def parse_time(s):
    """RFC 3339 (metav1.Time / MicroTime) -> aware datetime, None when empty or invalid."""
    if not s or not isinstance(s, str):
        return None
    try:
        t = datetime.datetime.fromisoformat(s.replace("Z", "+00:00"))
    except ValueError:
        return None
    if t.tzinfo is None:
        t = t.replace(tzinfo=datetime.timezone.utc)
    return t


def _aware(now):
    if now.tzinfo is None:
        return now.replace(tzinfo=datetime.timezone.utc)
    return now


def since(ts, now):
    """translateTimestampSince: <unknown> for a zero time."""
    t = parse_time(ts)
    if t is None:
        return "<unknown>"
    return human_duration(_aware(now) - t)


# ---------------------------------------------------------------------------
# formatting helpers (labels.FormatLabels, metav1.FormatLabelSelector, ...)
# ---------------------------------------------------------------------------

def format_labels(m):
    if not m:
        return "<none>"
    return ",".join("%s=%s" % (k, m[k]) for k in sorted(m))


def selector_string(sel):
    """labels.Selector.String() of a metav1.LabelSelector ('' for nil/empty)."""
    if not sel:
        return ""
    reqs = []
    for k, v in (sel.get("matchLabels") or {}).items():
        reqs.append((k, "%s=%s" % (k, v)))
    for e in sel.get("matchExpressions") or []:
        k, op, vals = e.get("key", ""), e.get("operator", ""), sorted(e.get("values") or [])
        if op == "In":
            reqs.append((k, "%s in (%s)" % (k, ",".join(vals))))
        elif op == "NotIn":
            reqs.append((k, "%s notin (%s)" % (k, ",".join(vals))))
        elif op == "Exists":
            reqs.append((k, k))
        elif op == "DoesNotExist":
            reqs.append((k, "!" + k))
    reqs.sort(key=lambda r: r[0])
    return ",".join(r[1] for r in reqs)


def format_label_selector(sel):
    s = selector_string(sel)
    return s if s else "<none>"


def layout_containers(containers):
    containers = containers or []
    return ",".join(c.get("name", "") for c in containers), ",".join(c.get("image", "") for c in containers)


def _g(obj, *path, default=None):
    cur = obj
    for p in path:
        if not isinstance(cur, dict):
            return default
        cur = cur.get(p)
        if cur is None:
            return default
    return cur


def _int(v):
    try:
        return int(v or 0)
    except (TypeError, ValueError):
        return 0


def _col(name, typ, desc, fmt="", priority=0):
    return {"name": name, "type": typ, "format": fmt, "description": desc, "priority": priority}


NAME = _col("Name", "string", DESC["meta.name"], "name")
AGE = _col("Age", "string", DESC["meta.creationTimestamp"])
CONTAINERS = _col("Containers", "string", "Names of each container in the template.", priority=1)
IMAGES = _col("Images", "string", "Images referenced by each container in the template.", priority=1)


# ---------------------------------------------------------------------------
# printers
# ---------------------------------------------------------------------------

def _restartable_init(c):
    return isinstance(c, dict) and c.get("restartPolicy") == "Always"


def print_pod(pod, now):
    spec, status, meta = pod.get("spec") or {}, pod.get("status") or {}, pod.get("metadata") or {}
    restarts = 0
    restartable_restarts = 0
    total = len(spec.get("containers") or [])
    ready = 0
    last_restart = None
    last_restartable = None
    phase = status.get("phase", "") or ""
    reason = phase
    if status.get("reason"):
        reason = status["reason"]
    for cond in status.get("conditions") or []:
        if cond.get("type") == "PodScheduled" and cond.get("reason") == "SchedulingGated":
            reason = "SchedulingGated"
    conditions = None
    if phase == "Succeeded":
        conditions = [{"type": "Completed", "status": "True", "reason": "Succeeded",
                       "message": "The pod has completed successfully."}]
    elif phase == "Failed":
        conditions = [{"type": "Completed", "status": "True", "reason": "Failed", "message": "The pod failed."}]
    init_specs = {}
    for c in spec.get("initContainers") or []:
        init_specs[c.get("name")] = c
        if _restartable_init(c):
            total += 1

    def later(a, b):
        ta, tb = parse_time(a), parse_time(b)
        if tb is None:
            return a
        if ta is None or ta < tb:
            return b
        return a

    initializing = False
    init_statuses = status.get("initContainerStatuses") or []
    for i, c in enumerate(init_statuses):
        restarts += _int(c.get("restartCount"))
        term_last = _g(c, "lastState", "terminated")
        if term_last is not None:
            last_restart = later(last_restart, term_last.get("finishedAt"))
        if _restartable_init(init_specs.get(c.get("name"))):
            restartable_restarts += _int(c.get("restartCount"))
            if term_last is not None:
                last_restartable = later(last_restartable, term_last.get("finishedAt"))
        st = c.get("state") or {}
        term, wait = st.get("terminated"), st.get("waiting")
        if term is not None and _int(term.get("exitCode")) == 0:
            continue
        if _restartable_init(init_specs.get(c.get("name"))) and c.get("started"):
            if c.get("ready"):
                ready += 1
            continue
        if term is not None:
            if not term.get("reason"):
                if _int(term.get("signal")) != 0:
                    reason = "Init:Signal:%d" % _int(term.get("signal"))
                else:
                    reason = "Init:ExitCode:%d" % _int(term.get("exitCode"))
            else:
                reason = "Init:" + term["reason"]
        elif wait is not None and wait.get("reason") and wait.get("reason") != "PodInitializing":
            reason = "Init:" + wait["reason"]
        else:
            reason = "Init:%d/%d" % (i, len(spec.get("initContainers") or []))
        initializing = True
        break
    initialized = any(c.get("type") == "Initialized" and c.get("status") == "True"
                      for c in status.get("conditions") or [])
    if not initializing or initialized:
        restarts = restartable_restarts
        last_restart = last_restartable
        has_running = False
        for c in reversed(status.get("containerStatuses") or []):
            restarts += _int(c.get("restartCount"))
            term_last = _g(c, "lastState", "terminated")
            if term_last is not None:
                last_restart = later(last_restart, term_last.get("finishedAt"))
            st = c.get("state") or {}
            wait, term, running = st.get("waiting"), st.get("terminated"), st.get("running")
            if wait is not None and wait.get("reason"):
                reason = wait["reason"]
            elif term is not None and term.get("reason"):
                reason = term["reason"]
            elif term is not None:
                if _int(term.get("signal")) != 0:
                    reason = "Signal:%d" % _int(term.get("signal"))
                else:
                    reason = "ExitCode:%d" % _int(term.get("exitCode"))
            elif c.get("ready") and running is not None:
                has_running = True
                ready += 1
        if reason == "Completed" and has_running:
            if any(c.get("type") == "Ready" and c.get("status") == "True" for c in status.get("conditions") or []):
                reason = "Running"
            else:
                reason = "NotReady"
    if meta.get("deletionTimestamp") and status.get("reason") == "NodeLost":
        reason = "Unknown"
    elif meta.get("deletionTimestamp") and phase not in ("Succeeded", "Failed"):
        reason = "Terminating"
    restarts_str = str(restarts)
    if restarts != 0 and parse_time(last_restart) is not None:
        restarts_str = "%d (%s ago)" % (restarts, since(last_restart, now))
    ips = status.get("podIPs") or []
    # v1 -> internal conversion fills podIPs from podIP when only the latter is set
    pod_ip = (ips[0].get("ip") if ips else status.get("podIP")) or "<none>"
    gates = "<none>"
    if spec.get("readinessGates"):
        true_conditions = 0
        for g in spec["readinessGates"]:
            for c in status.get("conditions") or []:
                if c.get("type") == g.get("conditionType"):
                    if c.get("status") == "True":
                        true_conditions += 1
                    break
        gates = "%d/%d" % (true_conditions, len(spec["readinessGates"]))
    cells = [meta.get("name", ""), "%d/%d" % (ready, total), reason, restarts_str,
             since(meta.get("creationTimestamp"), now), pod_ip, spec.get("nodeName") or "<none>",
             status.get("nominatedNodeName") or "<none>", gates]
    return cells, conditions


def print_deployment(o, now):
    spec, st = o.get("spec") or {}, o.get("status") or {}
    names, images = layout_containers(_g(spec, "template", "spec", "containers"))
    return [_name(o), "%d/%d" % (_int(st.get("readyReplicas")), _replicas(spec)), _int(st.get("updatedReplicas")),
            _int(st.get("availableReplicas")), _age(o, now), names, images, selector_string(spec.get("selector"))]


def _replicas(spec):
    # defaulting makes spec.replicas 1 when unset
    r = spec.get("replicas")
    return 1 if r is None else _int(r)


def _name(o):
    return _g(o, "metadata", "name", default="")


def _age(o, now):
    return since(_g(o, "metadata", "creationTimestamp"), now)


def print_replicaset(o, now):
    spec, st = o.get("spec") or {}, o.get("status") or {}
    names, images = layout_containers(_g(spec, "template", "spec", "containers"))
    return [_name(o), _replicas(spec), _int(st.get("replicas")), _int(st.get("readyReplicas")), _age(o, now),
            names, images, format_label_selector(spec.get("selector"))]


def print_replicationcontroller(o, now):
    spec, st = o.get("spec") or {}, o.get("status") or {}
    names, images = layout_containers(_g(spec, "template", "spec", "containers"))
    return [_name(o), _replicas(spec), _int(st.get("replicas")), _int(st.get("readyReplicas")), _age(o, now),
            names, images, format_labels(spec.get("selector"))]


def print_statefulset(o, now):
    spec, st = o.get("spec") or {}, o.get("status") or {}
    names, images = layout_containers(_g(spec, "template", "spec", "containers"))
    return [_name(o), "%d/%d" % (_int(st.get("readyReplicas")), _replicas(spec)), _age(o, now), names, images]


def print_daemonset(o, now):
    spec, st = o.get("spec") or {}, o.get("status") or {}
    names, images = layout_containers(_g(spec, "template", "spec", "containers"))
    return [_name(o), _int(st.get("desiredNumberScheduled")), _int(st.get("currentNumberScheduled")),
            _int(st.get("numberReady")), _int(st.get("updatedNumberScheduled")), _int(st.get("numberAvailable")),
            format_labels(_g(spec, "template", "spec", "nodeSelector")), _age(o, now), names, images,
            format_label_selector(spec.get("selector"))]


def _job_condition(conds, typ):
    for c in conds or []:
        if c.get("type") == typ:
            return c.get("status") == "True"
    return False


def print_job(o, now):
    spec, st = o.get("spec") or {}, o.get("status") or {}
    succeeded = _int(st.get("succeeded"))
    if spec.get("completions") is not None:
        completions = "%d/%d" % (succeeded, _int(spec["completions"]))
    else:
        par = _int(spec.get("parallelism"))
        completions = "%d/1 of %d" % (succeeded, par) if par > 1 else "%d/1" % succeeded
    start, done = parse_time(st.get("startTime")), parse_time(st.get("completionTime"))
    if start is None:
        dur = ""
    elif done is None:
        dur = human_duration(_aware(now) - start)
    else:
        dur = human_duration(done - start)
    conds = st.get("conditions")
    if _job_condition(conds, "Complete"):
        status = "Complete"
    elif _job_condition(conds, "Failed"):
        status = "Failed"
    elif _g(o, "metadata", "deletionTimestamp"):
        status = "Terminating"
    elif _job_condition(conds, "Suspended"):
        status = "Suspended"
    elif _job_condition(conds, "FailureTarget"):
        status = "FailureTarget"
    else:
        status = "Running"
    names, images = layout_containers(_g(spec, "template", "spec", "containers"))
    return [_name(o), status, completions, dur, _age(o, now), names, images,
            format_label_selector(spec.get("selector"))]


def _bool_ptr(v):
    if v is None:
        return "<unset>"
    return "True" if v else "False"


def print_cronjob(o, now):
    spec, st = o.get("spec") or {}, o.get("status") or {}
    last = "<none>"
    if st.get("lastScheduleTime"):
        last = since(st["lastScheduleTime"], now)
    names, images = layout_containers(_g(spec, "jobTemplate", "spec", "template", "spec", "containers"))
    return [_name(o), spec.get("schedule", ""), spec.get("timeZone") or "<none>", _bool_ptr(spec.get("suspend")),
            len(st.get("active") or []), last, _age(o, now), names, images,
            format_label_selector(_g(spec, "jobTemplate", "spec", "selector"))]


def _lb_string(lb, wide=True):
    ips = sorted({i.get("ip") or i.get("hostname") for i in (lb or {}).get("ingress") or []
                  if i.get("ip") or i.get("hostname")})
    r = ",".join(ips)
    if not wide and len(r) > 16:
        r = r[:13] + "..."
    return r


def print_service(o, now):
    spec = o.get("spec") or {}
    typ = spec.get("type") or "ClusterIP"
    ips = spec.get("clusterIPs") or ([spec["clusterIP"]] if spec.get("clusterIP") else [])
    internal = ips[0] if ips else "<none>"
    ext = spec.get("externalIPs") or []
    if typ in ("ClusterIP", "NodePort"):
        external = ",".join(ext) if ext else "<none>"
    elif typ == "LoadBalancer":
        lb = _lb_string(_g(o, "status", "loadBalancer"), True)
        if ext:
            external = ",".join(([x for x in lb.split(",")] if lb else []) + ext)
        else:
            external = lb or "<pending>"
    elif typ == "ExternalName":
        external = spec.get("externalName", "")
    else:
        external = "<unknown>"
    pieces = []
    for p in spec.get("ports") or []:
        proto = p.get("protocol") or "TCP"
        if _int(p.get("nodePort")) > 0:
            pieces.append("%d:%d/%s" % (_int(p.get("port")), _int(p.get("nodePort")), proto))
        else:
            pieces.append("%d/%s" % (_int(p.get("port")), proto))
    ports = ",".join(pieces) or "<none>"
    return [_name(o), typ, internal, external, ports, _age(o, now), format_labels(spec.get("selector"))]


def print_ingress(o, now):
    spec = o.get("spec") or {}
    rules = spec.get("rules") or []
    hosts = [r.get("host") for r in rules if r.get("host")][:3]
    host_str = ",".join(hosts) if hosts else "*"
    if len(rules) > 3 and hosts:
        host_str = "%s + %d more..." % (host_str, len(rules) - 3)
    ports = "80, 443" if spec.get("tls") else "80"
    return [_name(o), spec.get("ingressClassName") or "<none>", host_str,
            _lb_string(_g(o, "status", "loadBalancer"), True), ports, _age(o, now)]


def print_endpoints(o, now):
    subsets = o.get("subsets") or []
    if not subsets:
        return [_name(o), "<none>", _age(o, now)]
    out, count, more = [], 0, False
    for ss in subsets:
        addrs = ss.get("addresses") or []
        ports = ss.get("ports") or []
        if not ports:
            count += len(addrs)
            for a in addrs:
                if len(out) == 3:
                    more = True
                    break
                out.append(a.get("ip", ""))
            continue
        for p in ports:
            count += len(addrs)
            for a in addrs:
                if len(out) == 3:
                    more = True
                    break
                ip = a.get("ip", "")
                host = "[%s]" % ip if ":" in ip else ip
                out.append("%s:%d" % (host, _int(p.get("port"))))
    s = ",".join(out)
    if more:
        s = "%s + %d more..." % (s, count - 3)
    return [_name(o), s, _age(o, now)]


def _list_more(items, count, more):
    s = ",".join(items)
    if more:
        return "%s + %d more..." % (s, count - 3)
    return s or "<unset>"


def print_endpointslice(o, now):
    ports, pc, pmore = [], 0, False
    for p in o.get("ports") or []:
        if len(ports) < 3:
            ports.append(str(p["port"]) if p.get("port") is not None else (p.get("name") or "*"))
        elif len(ports) == 3:
            pmore = True
        pc += 1
    eps, ec, emore = [], 0, False
    for e in o.get("endpoints") or []:
        for a in e.get("addresses") or []:
            if len(eps) < 3:
                eps.append(a)
            elif len(eps) == 3:
                emore = True
            ec += 1
    return [_name(o), o.get("addressType", ""), _list_more(ports, pc, pmore), _list_more(eps, ec, emore),
            _age(o, now)]


def print_node(o, now):
    spec, st = o.get("spec") or {}, o.get("status") or {}
    status = []
    for c in st.get("conditions") or []:
        if c.get("type") == "Ready":
            status = ["Ready" if c.get("status") == "True" else "NotReady"]
    if not status:
        status = ["Unknown"]
    if spec.get("unschedulable"):
        status.append("SchedulingDisabled")
    roles = set()
    for k, v in (_g(o, "metadata", "labels") or {}).items():
        if k.startswith("node-role.kubernetes.io/"):
            role = k[len("node-role.kubernetes.io/"):]
            if role:
                roles.add(role)
        elif k == "kubernetes.io/role" and v:
            roles.add(v)
    info = st.get("nodeInfo") or {}

    def addr(typ):
        for a in st.get("addresses") or []:
            if a.get("type") == typ:
                return a.get("address", "")
        return "<none>"
    return [_name(o), ",".join(status), ",".join(sorted(roles)) or "<none>", _age(o, now),
            info.get("kubeletVersion", ""), addr("InternalIP"), addr("ExternalIP"),
            info.get("osImage") or "<unknown>", info.get("kernelVersion") or "<unknown>",
            info.get("containerRuntimeVersion") or "<unknown>"]


def print_namespace(o, now):
    return [_name(o), _g(o, "status", "phase", default=""), _age(o, now)]


def print_secret(o, now):
    return [_name(o), o.get("type", ""), len(o.get("data") or {}), _age(o, now)]


def print_configmap(o, now):
    return [_name(o), len(o.get("data") or {}) + len(o.get("binaryData") or {}), _age(o, now)]


def print_serviceaccount(o, now):
    return [_name(o), len(o.get("secrets") or []), _age(o, now)]


_MODES = [("ReadWriteOnce", "RWO"), ("ReadOnlyMany", "ROX"), ("ReadWriteMany", "RWX"), ("ReadWriteOncePod", "RWOP")]


def _access_modes(modes):
    modes = modes or []
    return ",".join(short for long_, short in _MODES if long_ in modes)


def print_pv(o, now):
    spec, st = o.get("spec") or {}, o.get("status") or {}
    claim = ""
    if spec.get("claimRef"):
        claim = "%s/%s" % (spec["claimRef"].get("namespace", ""), spec["claimRef"].get("name", ""))
    phase = "Terminating" if _g(o, "metadata", "deletionTimestamp") else st.get("phase", "")
    cls = spec.get("storageClassName") or _g(o, "metadata", "annotations", "volume.beta.kubernetes.io/storage-class",
                                             default="")
    return [_name(o), str(_g(spec, "capacity", "storage", default="0")), _access_modes(spec.get("accessModes")),
            spec.get("persistentVolumeReclaimPolicy", ""), phase, claim, cls,
            spec.get("volumeAttributesClassName") or "<unset>", st.get("reason", ""), _age(o, now),
            spec.get("volumeMode") or "<unset>"]


def print_pvc(o, now):
    spec, st = o.get("spec") or {}, o.get("status") or {}
    phase = "Terminating" if _g(o, "metadata", "deletionTimestamp") else st.get("phase", "")
    capacity, modes = "", ""
    if spec.get("volumeName"):
        modes = _access_modes(st.get("accessModes"))
        capacity = str(_g(st, "capacity", "storage", default="0"))
    cls = spec.get("storageClassName") or _g(o, "metadata", "annotations", "volume.beta.kubernetes.io/storage-class",
                                             default="")
    return [_name(o), phase, spec.get("volumeName", ""), capacity, modes, cls,
            spec.get("volumeAttributesClassName") or "<unset>", _age(o, now), spec.get("volumeMode") or "<unset>"]


def _micro_since(ts, now):
    return since(ts, now)


def print_event(o, now):
    """Core v1 Events, and events.k8s.io/v1 Events mapped to the same internal fields."""
    if o.get("apiVersion", "").startswith("events.k8s.io/"):
        involved = o.get("regarding") or {}
        first_ts, last_ts = o.get("deprecatedFirstTimestamp"), o.get("deprecatedLastTimestamp")
        count, message = o.get("deprecatedCount"), o.get("note", "")
        source = o.get("deprecatedSource") or {}
    else:
        involved = o.get("involvedObject") or {}
        first_ts, last_ts = o.get("firstTimestamp"), o.get("lastTimestamp")
        count, message = o.get("count"), o.get("message", "")
        source = o.get("source") or {}
    first = since(first_ts, now) if parse_time(first_ts) else _micro_since(o.get("eventTime"), now)
    last = since(last_ts, now) if parse_time(last_ts) else first
    count = _int(count)
    series = o.get("series")
    if series:
        last = _micro_since(series.get("lastObservedTime"), now)
        count = _int(series.get("count"))
    elif count == 0:
        count = 1
    kind = (involved.get("kind") or "").lower()
    target = "%s/%s" % (kind, involved["name"]) if involved.get("name") else kind
    component = source.get("component") or o.get("reportingController") or ""
    host = source.get("host") or o.get("reportingInstance") or ""
    src = component if not host else component + ", " + host
    return [last, o.get("type", ""), o.get("reason", ""), target, involved.get("fieldPath", ""), src,
            (message or "").strip(), first, count, _name(o)]


def print_lease(o, now):
    return [_name(o), _g(o, "spec", "holderIdentity", default=""), _age(o, now)]


def _int_or_string(v):
    return "N/A" if v is None else str(v)


def print_pdb(o, now):
    spec = o.get("spec") or {}
    return [_name(o), _int_or_string(spec.get("minAvailable")), _int_or_string(spec.get("maxUnavailable")),
            _int(_g(o, "status", "disruptionsAllowed")), _age(o, now)]


def _subjects(subjects):
    users, groups, sas = [], [], []
    for s in subjects or []:
        k = s.get("kind")
        if k == "User":
            users.append(s.get("name", ""))
        elif k == "Group":
            groups.append(s.get("name", ""))
        elif k == "ServiceAccount":
            sas.append("%s/%s" % (s.get("namespace", ""), s.get("name", "")))
    return users, groups, sas


def print_rolebinding(o, now):
    ref = o.get("roleRef") or {}
    users, groups, sas = _subjects(o.get("subjects"))
    return [_name(o), "%s/%s" % (ref.get("kind", ""), ref.get("name", "")), _age(o, now),
            ", ".join(users), ", ".join(groups), ", ".join(sas)]


def print_csr(o, now):
    spec = o.get("spec") or {}
    types = {c.get("type") for c in _g(o, "status", "conditions", default=[]) or []}
    status = "Denied" if "Denied" in types else ("Approved" if "Approved" in types else "Pending")
    if "Failed" in types:
        status += ",Failed"
    if _g(o, "status", "certificate"):
        status += ",Issued"
    dur = "<none>"
    if spec.get("expirationSeconds") is not None:
        dur = human_duration(datetime.timedelta(seconds=_int(spec["expirationSeconds"])))
    return [_name(o), _age(o, now), spec.get("signerName") or "<none>", spec.get("username", ""), dur, status]


def print_hpa(o, now):
    spec = o.get("spec") or {}
    ref = spec.get("scaleTargetRef") or {}
    metrics = spec.get("metrics") or []
    current = _g(o, "status", "currentMetrics", default=[]) or []
    parts = []
    for i, m in enumerate(metrics):
        if m.get("type") == "Resource":
            target = _g(m, "resource", "target") or {}
            cur = current[i] if i < len(current) else {}
            if target.get("averageValue") is not None:
                parts.append("%s: %s/%s" % (_g(m, "resource", "name", default=""),
                                            _g(cur, "resource", "current", "averageValue", default="<unknown>"),
                                            target["averageValue"]))
            else:
                cu = _g(cur, "resource", "current", "averageUtilization")
                parts.append("%s: %s/%s" % (_g(m, "resource", "name", default=""),
                                            "%d%%" % cu if cu is not None else "<unknown>",
                                            "%d%%" % target["averageUtilization"]
                                            if target.get("averageUtilization") is not None else "<auto>"))
        else:
            parts.append("<unknown type>")
    if len(parts) > 2:
        metric_str = "%s + %d more..." % (", ".join(parts[:2]), len(parts) - 2)
    else:
        metric_str = ", ".join(parts) or "<none>"
    min_pods = "<unset>" if spec.get("minReplicas") is None else str(spec["minReplicas"])
    return [_name(o), "%s/%s" % (ref.get("kind", ""), ref.get("name", "")), metric_str, min_pods,
            _int(spec.get("maxReplicas")), _int(_g(o, "status", "currentReplicas")), _age(o, now)]


def print_podtemplate(o, now):
    tmpl = o.get("template") or {}
    names, images = layout_containers(_g(tmpl, "spec", "containers"))
    return [_name(o), names, images, format_labels(_g(tmpl, "metadata", "labels"))]


def _quantity(v):
    return "0" if v is None else str(v)


def print_resourcequota(o, now):
    st = o.get("status") or {}
    hard, used = st.get("hard") or {}, st.get("used") or {}
    request, limit = [], []
    for name in sorted(hard):
        piece = "%s: %s/%s" % (name, _quantity(used.get(name)), _quantity(hard.get(name)))
        parts = name.split(".")
        (limit if len(parts) > 1 and parts[0] == "limits" else request).append(piece)
    return [_name(o), ", ".join(request), ", ".join(limit), _age(o, now)]


def print_controllerrevision(o, now):
    controller = "<none>"
    for ref in _g(o, "metadata", "ownerReferences", default=[]) or []:
        if ref.get("controller"):
            group = (ref.get("apiVersion") or "").rpartition("/")[0]
            gk = ref.get("kind", "") + ("." + group if group else "")
            controller = (gk.lower() + "/" + ref.get("name", "")) if ref.get("kind") else ref.get("name", "")
            break
    return [_name(o), controller, _int(o.get("revision")), _age(o, now)]


def print_ingressclass(o, now):
    spec = o.get("spec") or {}
    params = "<none>"
    if spec.get("parameters"):
        p = spec["parameters"]
        params = p.get("kind", "") + ("." + p["apiGroup"] if p.get("apiGroup") else "") + "/" + p.get("name", "")
    return [_name(o), spec.get("controller", ""), params, _age(o, now)]


def print_networkpolicy(o, now):
    return [_name(o), format_label_selector(_g(o, "spec", "podSelector") or {}), _age(o, now)]


def print_storageclass(o, now):
    ann = _g(o, "metadata", "annotations", default={}) or {}
    name = _name(o)
    if ann.get("storageclass.kubernetes.io/is-default-class") == "true" or \
            ann.get("storageclass.beta.kubernetes.io/is-default-class") == "true":
        name += " (default)"
    return [name, o.get("provisioner", ""), o.get("reclaimPolicy") or "Delete",
            o.get("volumeBindingMode") or "Immediate", bool(o.get("allowVolumeExpansion")), _age(o, now)]


def print_priorityclass(o, now):
    return [_name(o), _int(o.get("value")), bool(o.get("globalDefault")), _age(o, now),
            o.get("preemptionPolicy") or ""]


def print_componentstatus(o, now):
    status, message, error = "Unknown", "", ""
    for c in o.get("conditions") or []:
        if c.get("type") == "Healthy":
            status = "Healthy" if c.get("status") == "True" else "Unhealthy"
            message, error = c.get("message", ""), c.get("error", "")
            break
    return [_name(o), status, message, error]


def print_apiservice(o, now):
    spec = o.get("spec") or {}
    service = "Local"
    if spec.get("service"):
        service = "%s/%s" % (spec["service"].get("namespace", ""), spec["service"].get("name", ""))
    status = "Unknown"
    for c in _g(o, "status", "conditions", default=[]) or []:
        if c.get("type") == "Available":
            if c.get("status") == "True" or not c.get("reason"):
                status = c.get("status", "")
            else:
                status = "%s (%s)" % (c.get("status", ""), c["reason"])
            break
    return [_name(o), service, status, _age(o, now)]


# ---------------------------------------------------------------------------
# column definitions per (group, kind)
# ---------------------------------------------------------------------------

_SEL = "Selector"
PRINTERS = {
    ("", "Pod"): ([NAME,
                   _col("Ready", "string", "The aggregate readiness state of this pod for accepting traffic."),
                   _col("Status", "string", "The aggregate status of the containers in this pod."),
                   _col("Restarts", "string", "The number of times the containers in this pod have been restarted "
                                              "and when the last container in this pod has restarted."),
                   AGE,
                   _col("IP", "string", DESC["PodStatus.podIP"], priority=1),
                   _col("Node", "string", DESC["PodSpec.nodeName"], priority=1),
                   _col("Nominated Node", "string", DESC["PodStatus.nominatedNodeName"], priority=1),
                   _col("Readiness Gates", "string", DESC["PodSpec.readinessGates"], priority=1)], print_pod),
    ("apps", "Deployment"): ([NAME, _col("Ready", "string", "Number of the pod with ready state"),
                              _col("Up-to-date", "string", DESC["DeploymentStatus.updatedReplicas"]),
                              _col("Available", "string", DESC["DeploymentStatus.availableReplicas"]),
                              AGE, CONTAINERS, IMAGES,
                              _col(_SEL, "string", DESC["DeploymentSpec.selector"], priority=1)], print_deployment),
    ("apps", "ReplicaSet"): ([NAME, _col("Desired", "integer", DESC["ReplicaSetSpec.replicas"]),
                              _col("Current", "integer", DESC["ReplicaSetStatus.replicas"]),
                              _col("Ready", "integer", DESC["ReplicaSetStatus.readyReplicas"]),
                              AGE, CONTAINERS, IMAGES,
                              _col(_SEL, "string", DESC["ReplicaSetSpec.selector"], priority=1)], print_replicaset),
    ("", "ReplicationController"): ([NAME, _col("Desired", "integer", DESC["ReplicaSetSpec.replicas"]),
                                     _col("Current", "integer", DESC["ReplicaSetStatus.replicas"]),
                                     _col("Ready", "integer", DESC["ReplicaSetStatus.readyReplicas"]),
                                     AGE, CONTAINERS, IMAGES,
                                     _col(_SEL, "string", DESC["ReplicaSetSpec.selector"], priority=1)],
                                    print_replicationcontroller),
    ("apps", "StatefulSet"): ([NAME, _col("Ready", "string", "Number of the pod with ready state"), AGE,
                               CONTAINERS, IMAGES], print_statefulset),
    ("apps", "DaemonSet"): ([NAME, _col("Desired", "integer", DESC["DaemonSetStatus.desiredNumberScheduled"]),
                             _col("Current", "integer", DESC["DaemonSetStatus.currentNumberScheduled"]),
                             _col("Ready", "integer", DESC["DaemonSetStatus.numberReady"]),
                             _col("Up-to-date", "integer", DESC["DaemonSetStatus.updatedNumberScheduled"]),
                             _col("Available", "integer", DESC["DaemonSetStatus.numberAvailable"]),
                             _col("Node Selector", "string", DESC["PodSpec.nodeSelector"]),
                             AGE, CONTAINERS, IMAGES,
                             _col(_SEL, "string", DESC["DaemonSetSpec.selector"], priority=1)], print_daemonset),
    ("batch", "Job"): ([NAME, _col("Status", "string", "Status of the job."),
                        _col("Completions", "string", DESC["JobStatus.succeeded"]),
                        _col("Duration", "string", "Time required to complete the job."),
                        AGE, CONTAINERS, IMAGES, _col(_SEL, "string", DESC["JobSpec.selector"], priority=1)],
                       print_job),
    ("batch", "CronJob"): ([NAME, _col("Schedule", "string", DESC["CronJobSpec.schedule"]),
                            _col("Timezone", "string", DESC["CronJobSpec.timeZone"]),
                            _col("Suspend", "boolean", DESC["CronJobSpec.suspend"]),
                            _col("Active", "integer", DESC["CronJobStatus.active"]),
                            _col("Last Schedule", "string", DESC["CronJobStatus.lastScheduleTime"]),
                            AGE, CONTAINERS, IMAGES, _col(_SEL, "string", DESC["JobSpec.selector"], priority=1)],
                           print_cronjob),
    ("", "Service"): ([NAME, _col("Type", "string", DESC["ServiceSpec.type"]),
                       _col("Cluster-IP", "string", DESC["ServiceSpec.clusterIP"]),
                       _col("External-IP", "string", DESC["ServiceSpec.externalIPs"]),
                       _col("Port(s)", "string", DESC["ServiceSpec.ports"]), AGE,
                       _col(_SEL, "string", DESC["ServiceSpec.selector"], priority=1)], print_service),
    ("networking.k8s.io", "Ingress"): ([NAME, _col("Class", "string", "The name of the IngressClass resource that "
                                                                       "should be used for additional configuration"),
                                        _col("Hosts", "string", "Hosts that incoming requests are matched against "
                                                                "before the ingress rule"),
                                        _col("Address", "string", "Address is a list containing ingress points for "
                                                                  "the load-balancer"),
                                        _col("Ports", "string", "Ports of TLS configurations that open"), AGE],
                                       print_ingress),
    ("", "Endpoints"): ([NAME, _col("Endpoints", "string", DESC["Endpoints.subsets"]), AGE], print_endpoints),
    ("discovery.k8s.io", "EndpointSlice"): ([NAME, _col("AddressType", "string", DESC["EndpointSlice.addressType"]),
                                             _col("Ports", "string", DESC["EndpointSlice.ports"]),
                                             _col("Endpoints", "string", DESC["EndpointSlice.endpoints"]), AGE],
                                            print_endpointslice),
    ("", "Node"): ([NAME, _col("Status", "string", "The status of the node"),
                    _col("Roles", "string", "The roles of the node"), AGE,
                    _col("Version", "string", DESC["NodeSystemInfo.kubeletVersion"]),
                    _col("Internal-IP", "string", DESC["NodeStatus.addresses"], priority=1),
                    _col("External-IP", "string", DESC["NodeStatus.addresses"], priority=1),
                    _col("OS-Image", "string", DESC["NodeSystemInfo.osImage"], priority=1),
                    _col("Kernel-Version", "string", DESC["NodeSystemInfo.kernelVersion"], priority=1),
                    _col("Container-Runtime", "string", DESC["NodeSystemInfo.containerRuntimeVersion"], priority=1)],
                   print_node),
    ("", "Event"): ([_col("Last Seen", "string", DESC["Event.lastTimestamp"]),
                     _col("Type", "string", DESC["Event.type"]),
                     _col("Reason", "string", DESC["Event.reason"]),
                     _col("Object", "string", DESC["Event.involvedObject"]),
                     _col("Subobject", "string", DESC["ObjectReference.fieldPath"], priority=1),
                     _col("Source", "string", DESC["Event.source"], priority=1),
                     _col("Message", "string", DESC["Event.message"]),
                     _col("First Seen", "string", DESC["Event.firstTimestamp"], priority=1),
                     _col("Count", "string", DESC["Event.count"], priority=1),
                     _col("Name", "string", DESC["meta.name"], "name", priority=1)], print_event),
    ("", "Namespace"): ([NAME, _col("Status", "string", "The status of the namespace"), AGE], print_namespace),
    ("", "Secret"): ([NAME, _col("Type", "string", DESC["Secret.type"]), _col("Data", "string", DESC["Secret.data"]),
                      AGE], print_secret),
    ("", "ConfigMap"): ([NAME, _col("Data", "string", DESC["ConfigMap.data"]), AGE], print_configmap),
    ("", "ServiceAccount"): ([NAME, _col("Secrets", "string", DESC["ServiceAccount.secrets"]), AGE],
                             print_serviceaccount),
    ("", "PersistentVolume"): ([NAME, _col("Capacity", "string", DESC["PersistentVolumeSpec.capacity"]),
                                _col("Access Modes", "string", DESC["PersistentVolumeSpec.accessModes"]),
                                _col("Reclaim Policy", "string",
                                     DESC["PersistentVolumeSpec.persistentVolumeReclaimPolicy"]),
                                _col("Status", "string", DESC["PersistentVolumeStatus.phase"]),
                                _col("Claim", "string", DESC["PersistentVolumeSpec.claimRef"]),
                                _col("StorageClass", "string", "StorageClass of the pv"),
                                _col("VolumeAttributesClass", "string", "VolumeAttributesClass of the pv"),
                                _col("Reason", "string", DESC["PersistentVolumeStatus.reason"]), AGE,
                                _col("VolumeMode", "string", DESC["PersistentVolumeSpec.volumeMode"], priority=1)],
                               print_pv),
    ("", "PersistentVolumeClaim"): ([NAME, _col("Status", "string", DESC["PersistentVolumeClaimStatus.phase"]),
                                     _col("Volume", "string", DESC["PersistentVolumeClaimSpec.volumeName"]),
                                     _col("Capacity", "string", DESC["PersistentVolumeClaimStatus.capacity"]),
                                     _col("Access Modes", "string", DESC["PersistentVolumeClaimStatus.accessModes"]),
                                     _col("StorageClass", "string", "StorageClass of the pvc"),
                                     _col("VolumeAttributesClass", "string", "VolumeAttributesClass of the pvc"),
                                     AGE, _col("VolumeMode", "string", DESC["PersistentVolumeClaimSpec.volumeMode"],
                                               priority=1)], print_pvc),
    ("coordination.k8s.io", "Lease"): ([NAME, _col("Holder", "string", DESC["LeaseSpec.holderIdentity"]), AGE],
                                       print_lease),
    ("policy", "PodDisruptionBudget"): ([NAME, _col("Min Available", "string", "The minimum number of pods that "
                                                                               "must be available."),
                                         _col("Max Unavailable", "string", "The maximum number of pods that may be "
                                                                           "unavailable."),
                                         _col("Allowed Disruptions", "integer", "Calculated number of pods that may "
                                                                                "be disrupted at this time."), AGE],
                                        print_pdb),
    ("rbac.authorization.k8s.io", "RoleBinding"): ([NAME, _col("Role", "string", DESC["RoleBinding.roleRef"]), AGE,
                                                    _col("Users", "string", "Users in the roleBinding", priority=1),
                                                    _col("Groups", "string", "Groups in the roleBinding", priority=1),
                                                    _col("ServiceAccounts", "string",
                                                         "ServiceAccounts in the roleBinding", priority=1)],
                                                   print_rolebinding),
    ("rbac.authorization.k8s.io", "ClusterRoleBinding"): (
        [NAME, _col("Role", "string", DESC["ClusterRoleBinding.roleRef"]), AGE,
         _col("Users", "string", "Users in the clusterRoleBinding", priority=1),
         _col("Groups", "string", "Groups in the clusterRoleBinding", priority=1),
         _col("ServiceAccounts", "string", "ServiceAccounts in the clusterRoleBinding", priority=1)],
        print_rolebinding),
    ("certificates.k8s.io", "CertificateSigningRequest"): (
        [NAME, AGE, _col("SignerName", "string", DESC["CSRSpec.signerName"]),
         _col("Requestor", "string", DESC["CSRSpec.request"]),
         _col("RequestedDuration", "string", DESC["CSRSpec.expirationSeconds"]),
         _col("Condition", "string", DESC["CSRStatus.conditions"])], print_csr),
    ("autoscaling", "HorizontalPodAutoscaler"): (
        [NAME, _col("Reference", "string", DESC["HPASpec.scaleTargetRef"]),
         _col("Targets", "string", DESC["HPASpec.metrics"]),
         _col("MinPods", "string", DESC["HPASpec.minReplicas"]),
         _col("MaxPods", "string", DESC["HPASpec.maxReplicas"]),
         _col("Replicas", "string", DESC["HPAStatus.currentReplicas"]), AGE], print_hpa),
}
PRINTERS[("events.k8s.io", "Event")] = PRINTERS[("", "Event")]

PRINTERS.update({
    ("", "PodTemplate"): ([NAME, _col("Containers", "string", "Names of each container in the template."),
                           _col("Images", "string", "Images referenced by each container in the template."),
                           _col("Pod Labels", "string", "The labels for the pod template.")], print_podtemplate),
    ("", "ResourceQuota"): ([NAME, _col("Request", "string", "Request represents a minimum amount of cpu/memory "
                                                             "that a container may consume."),
                             _col("Limit", "string", "Limits control the maximum amount of cpu/memory that a "
                                                     "container may use independent of contention on the node."),
                             AGE], print_resourcequota),
    ("", "ComponentStatus"): ([NAME, _col("Status", "string", "Status of the component conditions"),
                               _col("Message", "string", "Message of the component conditions"),
                               _col("Error", "string", "Error of the component conditions")], print_componentstatus),
    ("apps", "ControllerRevision"): ([NAME, _col("Controller", "string", "Controller of the object"),
                                      _col("Revision", "string", DESC["ControllerRevision.revision"]), AGE],
                                     print_controllerrevision),
    ("networking.k8s.io", "IngressClass"): ([NAME, _col("Controller", "string", "Controller that is responsible for "
                                                                                "handling this class"),
                                             _col("Parameters", "string", "A reference to a resource with additional "
                                                                          "parameters"), AGE], print_ingressclass),
    ("networking.k8s.io", "NetworkPolicy"): ([NAME, _col("Pod-Selector", "string",
                                                          DESC["NetworkPolicySpec.podSelector"]),
                                              AGE], print_networkpolicy),
    ("storage.k8s.io", "StorageClass"): ([NAME, _col("Provisioner", "string", DESC["StorageClass.provisioner"]),
                                          _col("ReclaimPolicy", "string", DESC["StorageClass.reclaimPolicy"]),
                                          _col("VolumeBindingMode", "string", DESC["StorageClass.volumeBindingMode"]),
                                          _col("AllowVolumeExpansion", "string",
                                               DESC["StorageClass.allowVolumeExpansion"]), AGE],
                                         print_storageclass),
    ("scheduling.k8s.io", "PriorityClass"): ([NAME, _col("Value", "integer", DESC["PriorityClass.value"]),
                                              _col("Global-Default", "boolean", DESC["PriorityClass.globalDefault"]),
                                              AGE, _col("PreemptionPolicy", "string",
                                                        DESC["PriorityClass.preemptionPolicy"])],
                                             print_priorityclass),
    # kube-aggregator's own table for APIServices (registry/apiservice/etcd)
    ("apiregistration.k8s.io", "APIService"): ([NAME, _col("Service", "string", "The reference to the service that "
                                                                                "hosts this API endpoint."),
                                                _col("Available", "string", "Whether this service is available."), AGE],
                                               print_apiservice),
})


DEFAULT_COLUMNS = [NAME, _col("Created At", "date", DESC["meta.creationTimestamp"])]


# ---------------------------------------------------------------------------
# custom resources: additionalPrinterColumns with simple JSONPath
# ---------------------------------------------------------------------------

_TOKEN = re.compile(r"\.([A-Za-z0-9_\-$@]+)"                       # .field
                    r"|\['([^']*)'\]|\[\"([^\"]*)\"\]"              # ['key'] / ["key"]
                    r"|\[(-?\d+|\*)\]"                               # [0] / [-1] / [*]
                    r"|\[\?\(@\.([\w.\-]+)\s*==\s*['\"]([^'\"]*)['\"]\)\]")  # [?(@.f=="v")]


def jsonpath_values(obj, path):
    """Evaluate a simple JSONPath (.a.b[0].c, ['x.y'], [*], [?(@.type=="Ready")]) -> list of values."""
    path = path.strip()
    if path.startswith("{") and path.endswith("}"):
        path = path[1:-1]
    if path.startswith("$"):
        path = path[1:]
    cur = [obj]
    pos = 0
    while pos < len(path):
        m = _TOKEN.match(path, pos)
        if not m:
            return []
        pos = m.end()
        name = m.group(1) if m.group(1) is not None else (m.group(2) if m.group(2) is not None else m.group(3))
        nxt = []
        for v in cur:
            if name is not None:
                if isinstance(v, dict) and name in v:
                    nxt.append(v[name])
            elif m.group(4) is not None:
                if not isinstance(v, list):
                    continue
                if m.group(4) == "*":
                    nxt.extend(v)
                else:
                    i = int(m.group(4))
                    if -len(v) <= i < len(v):
                        nxt.append(v[i])
            else:
                if not isinstance(v, list):
                    continue
                field_path, want = m.group(5).split("."), m.group(6)
                for item in v:
                    x = item
                    for f in field_path:
                        x = x.get(f) if isinstance(x, dict) else None
                    if x is not None and (x if isinstance(x, str) else json.dumps(x)) == want:
                        nxt.append(item)
        cur = nxt
    return cur


def _go_print(v):
    """fmt.Fprint of a decoded JSON value, as the CRD table convertor's JSONPath prints it."""
    if isinstance(v, str):
        return v
    if v is None:
        return "<nil>"
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, float):
        return _go_float(v)
    if isinstance(v, dict):
        return "map[" + " ".join("%s:%s" % (k, _go_print(v[k])) for k in sorted(v)) + "]"
    if isinstance(v, list):
        return "[" + " ".join(_go_print(x) for x in v) + "]"
    return str(v)


def _go_float(f):
    """Go's %v of a float64 (strconv 'g' with the shortest representation)."""
    if f.is_integer() and abs(f) < 1e21:
        return str(int(f))
    r = repr(f)
    if "e" in r:
        mant, exp = r.split("e")
        sign = "-" if exp.startswith("-") else "+"
        return "%se%s%02d" % (mant, sign, int(exp.lstrip("+-")))
    return r


def _cell_for_json(typ, v, now):
    if typ == "integer":
        if isinstance(v, bool):
            return None
        if isinstance(v, (int, float)):
            return int(v)
        return None
    if typ == "number":
        if isinstance(v, (int, float)) and not isinstance(v, bool):
            return v
        return None
    if typ == "boolean":
        return v if isinstance(v, bool) else None
    if typ == "date":
        if isinstance(v, str):
            t = parse_time(v)
            if t is None:
                return "<invalid>"
            return human_duration(_aware(now) - t)
        return None
    return None


def crd_columns(crd, version):
    """(columnDefinitions, [(jsonPath, type)]) for a CRD version."""
    spec = (crd or {}).get("spec") or {}
    cols = None
    for v in spec.get("versions") or []:
        if v.get("name") == version:
            cols = v.get("additionalPrinterColumns")
    if cols is None:
        cols = spec.get("additionalPrinterColumns")
    if not cols:
        cols = [{"name": "Age", "type": "date", "description": DESC["meta.creationTimestamp"],
                 "jsonPath": ".metadata.creationTimestamp"}]
    defs = [NAME]
    paths = []
    for c in cols:
        jp = c.get("jsonPath") or c.get("JSONPath") or ""
        desc = c.get("description") or "Custom resource definition column (in JSONPath format): %s" % jp
        defs.append({"name": c.get("name", ""), "type": c.get("type", "string"), "format": c.get("format", ""),
                     "description": desc, "priority": int(c.get("priority") or 0)})
        paths.append((jp, c.get("type", "string")))
    return defs, paths


def _cr_cells(obj, paths, now):
    cells = [_name(obj)]
    for jp, typ in paths:
        vals = jsonpath_values(obj, jp)
        if not vals:
            cells.append(None)
            continue
        v = vals[0]
        if typ == "string":
            cells.append(_go_print(v))
        else:
            cells.append(_cell_for_json(typ, v, now))
    return cells


# ---------------------------------------------------------------------------
# entry point
# ---------------------------------------------------------------------------

def partial_object_metadata(obj):
    meta = {k: v for k, v in (obj.get("metadata") or {}).items()}
    return {"kind": "PartialObjectMetadata", "apiVersion": "meta.k8s.io/v1", "metadata": meta}


def _row_object(obj, resource, include_object):
    if include_object == "None":
        return None
    if include_object == "Object":
        o = dict(obj)
        if "kind" not in o or "apiVersion" not in o:
            gv = (resource["group"] + "/" + resource["version"]) if resource.get("group") else resource["version"]
            o = dict({"kind": resource.get("kind", ""), "apiVersion": gv}, **obj)
        return o
    return partial_object_metadata(obj)


def to_table(resource, objects, include_object="Metadata", now=None):
    """A meta.k8s.io/v1 Table for objects of resource; metadata is left for the caller to fill."""
    if now is None:
        now = datetime.datetime.now(datetime.timezone.utc)
    include_object = include_object or "Metadata"
    crd = resource.get("crd")
    if crd is not None:
        cols, paths = crd_columns(crd, resource.get("version"))
        printer = None
    else:
        cols, printer = PRINTERS.get((resource.get("group", ""), resource.get("kind", "")), (None, None))
        paths = None
    if cols is None:
        cols = DEFAULT_COLUMNS
    rows = []
    for obj in objects:
        conditions = None
        if crd is not None:
            cells = _cr_cells(obj, paths, now)
        elif printer is not None:
            res = printer(obj, now)
            if isinstance(res, tuple):
                cells, conditions = res
            else:
                cells = res
        else:
            t = parse_time(_g(obj, "metadata", "creationTimestamp"))
            created = (t.astimezone(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ") if t
                       else "0001-01-01T00:00:00Z")
            cells = [_name(obj), created]
        row = {"cells": cells}
        if conditions:
            row["conditions"] = conditions
        row["object"] = _row_object(obj, resource, include_object)
        rows.append(row)
    return {"kind": "Table", "apiVersion": "meta.k8s.io/v1", "metadata": {},
            "columnDefinitions": [dict(c) for c in cols], "rows": rows}
