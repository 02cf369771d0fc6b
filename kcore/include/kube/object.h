/**
 * @file object.h
 * @brief Object metadata: accessors on dynamic objects (libkube JSON values),
 *        the metadata view of typed objects, object keys, managedFields
 *        stripping, ObjectReference/OwnerReference builders and finalizer patches.
 *
 * A dynamic object is a `const kube_json_t *` holding a Kubernetes object
 * (`{"apiVersion":..., "kind":..., "metadata":{...}, ...}`). The accessors
 * below read `metadata.*` and accept NULL or a malformed object, answering
 * "absent" (NULL, 0 or an error code as documented) instead of failing, so
 * they can be called on anything a server or a user sent. Returned strings are
 * borrowed from the object's document and valid while it is alive.
 *
 * Typed objects (kgen structs) expose their metadata through their codec's
 * `metadata` function, which fills a kube_meta_view_t.
 *
 * Thread-safety: every function is reentrant and keeps no state. Reading
 * functions only read the (immutable) document, so they may run concurrently
 * on one object. Builders write only to the kube_json_mut_doc_t passed in,
 * which must not be used by two threads at once.
 * @since 0.1
 */
#ifndef KUBE_OBJECT_H
#define KUBE_OBJECT_H

#include <kube/common.h>
#include <kube/error.h>
#include <kube/buf.h>
#include <kube/json.h>
#include <kube/resource.h>
#include <kube/sys/alloc.h>

KUBE_BEGIN_DECL

/** A borrowed key/value string pair (a label, an annotation). */
typedef struct kube_kv {
    const char *key;   /**< the key, NUL-terminated */
    const char *value; /**< the value, NUL-terminated ("" for empty) */
} kube_kv_t;

/**
 * A borrowed view of one ownerReferences entry (or the input of an owner
 * reference). Strings are borrowed from wherever they came from.
 */
typedef struct kube_owner_ref {
    const char *api_version;  /**< "apps/v1" */
    const char *kind;         /**< "ReplicaSet" */
    const char *name;         /**< the owner's name */
    const char *uid;          /**< the owner's uid */
    int controller;           /**< 1 when `controller: true`, else 0 */
    int block_owner_deletion; /**< 1 when `blockOwnerDeletion: true`, else 0 */
} kube_owner_ref_t;

/** Current version of kube_meta_view_t. */
#define KUBE_META_VIEW_VERSION 1

/**
 * Borrowed views of a typed object's metadata, filled by a codec's `metadata`
 * function (see kube_codec_t). Absent strings are NULL; absent lists have
 * length 0. Every pointer is borrowed from the typed object and valid while it
 * is alive and unchanged. A codec sets struct_version to
 * KUBE_META_VIEW_VERSION; fields added in later versions come after these.
 */
typedef struct kube_meta_view {
    unsigned int struct_version;         /**< KUBE_META_VIEW_VERSION */
    const char *name;                    /**< metadata.name */
    const char *generate_name;           /**< metadata.generateName */
    const char *ns;                      /**< metadata.namespace */
    const char *uid;                     /**< metadata.uid */
    const char *resource_version;        /**< metadata.resourceVersion */
    int64_t generation;                  /**< metadata.generation (0 when absent) */
    const char *creation_timestamp;      /**< RFC 3339 text */
    const char *deletion_timestamp;      /**< RFC 3339 text; non-NULL while being deleted */
    const kube_kv_t *labels;             /**< metadata.labels */
    size_t labels_len;                   /**< number of labels */
    const kube_kv_t *annotations;        /**< metadata.annotations */
    size_t annotations_len;              /**< number of annotations */
    const char *const *finalizers;       /**< metadata.finalizers */
    size_t finalizers_len;               /**< number of finalizers */
    const kube_owner_ref_t *owner_refs;  /**< metadata.ownerReferences */
    size_t owner_refs_len;               /**< number of owner references */
} kube_meta_view_t;

/**
 * One label of a typed object's metadata view (the last pair wins when a key repeats).
 * @param m the view (borrowed; NULL answers absent). @param key the label key.
 * @return the value (borrowed from the typed object), or NULL when absent.
 * Thread-safety: reentrant; reads only.
 * @since 0.1
 */
KUBE_EXTERN const char *kube_meta_view_label(const kube_meta_view_t *m, const char *key);

/**
 * One annotation of a typed object's metadata view (the last pair wins).
 * @param m the view (borrowed; NULL answers absent). @param key the annotation key.
 * @return the value (borrowed from the typed object), or NULL when absent.
 * @since 0.1
 */
KUBE_EXTERN const char *kube_meta_view_annotation(const kube_meta_view_t *m, const char *key);

/**
 * Whether a typed object's metadata view lists a finalizer.
 * @param m the view (NULL gives 0). @param finalizer the name (NULL gives 0).
 * @return 1 when present, else 0.
 * @since 0.1
 */
KUBE_EXTERN int kube_meta_view_has_finalizer(const kube_meta_view_t *m, const char *finalizer);

/**
 * The controller owner of a typed object: its first owner reference with
 * `controller` set.
 * @param m the view (NULL gives NULL).
 * @return a pointer into the view's owner_refs (borrowed), or NULL when none.
 * @since 0.1
 */
KUBE_EXTERN const kube_owner_ref_t *kube_meta_view_controller(const kube_meta_view_t *m);

/* ---- reading metadata of dynamic objects ---- */

/**
 * The `metadata` member of @p obj.
 * @param obj the object (borrowed; NULL or malformed input answers absent).
 * @return the metadata object value, or NULL when absent or not an object.
 * Ownership: borrowed from the object's document; valid while it lives.
 * Thread-safety: reentrant; reads only.
 * @since 0.1
 */
KUBE_EXTERN const kube_json_t *kube_object_metadata(const kube_json_t *obj);
/**
 * `metadata.name`.
 * @param obj the object (borrowed; NULL or malformed input answers absent).
 * @return the name, or NULL when absent or not a string.
 * Ownership: borrowed from the object's document; valid while it lives.
 * Thread-safety: reentrant; reads only.
 * @since 0.1
 */
KUBE_EXTERN const char *kube_object_name(const kube_json_t *obj);

/**
 * The name to show for an object (kube-rs `name_any`): `metadata.name`, or `metadata.generateName` when the name is not set yet.
 * @param obj the object (borrowed; NULL or malformed input answers absent).
 * @return the name or the prefix, or NULL when neither is a string.
 * Ownership: borrowed from the object's document; valid while it lives.
 * Thread-safety: reentrant; reads only.
 * @since 0.1
 */
KUBE_EXTERN const char *kube_object_name_any(const kube_json_t *obj);
/**
 * `metadata.generateName`.
 * @param obj the object (borrowed; NULL or malformed input answers absent).
 * @return the prefix, or NULL when absent or not a string.
 * Ownership: borrowed from the object's document; valid while it lives.
 * Thread-safety: reentrant; reads only.
 * @since 0.1
 */
KUBE_EXTERN const char *kube_object_generate_name(const kube_json_t *obj);
/**
 * `metadata.namespace`.
 * @param obj the object (borrowed; NULL or malformed input answers absent).
 * @return the namespace, or NULL when absent or not a string (cluster-scoped objects have none).
 * Ownership: borrowed from the object's document; valid while it lives.
 * Thread-safety: reentrant; reads only.
 * @since 0.1
 */
KUBE_EXTERN const char *kube_object_namespace(const kube_json_t *obj);
/**
 * `metadata.uid`.
 * @param obj the object (borrowed; NULL or malformed input answers absent).
 * @return the uid, or NULL when absent or not a string.
 * Ownership: borrowed from the object's document; valid while it lives.
 * Thread-safety: reentrant; reads only.
 * @since 0.1
 */
KUBE_EXTERN const char *kube_object_uid(const kube_json_t *obj);
/**
 * `metadata.resourceVersion` (opaque; compare for equality only).
 * @param obj the object (borrowed; NULL or malformed input answers absent).
 * @return the version, or NULL when absent or not a string.
 * Ownership: borrowed from the object's document; valid while it lives.
 * Thread-safety: reentrant; reads only.
 * @since 0.1
 */
KUBE_EXTERN const char *kube_object_resource_version(const kube_json_t *obj);
/**
 * `metadata.creationTimestamp` as RFC 3339 text.
 * @param obj the object (borrowed; NULL or malformed input answers absent).
 * @return the text, or NULL when absent or not a string.
 * Ownership: borrowed from the object's document; valid while it lives.
 * Thread-safety: reentrant; reads only.
 * @since 0.1
 */
KUBE_EXTERN const char *kube_object_creation_timestamp(const kube_json_t *obj);
/**
 * `metadata.deletionTimestamp` as RFC 3339 text.
 * @param obj the object (borrowed; NULL or malformed input answers absent).
 * @return the text, or NULL when the object is not being deleted.
 * Ownership: borrowed from the object's document; valid while it lives.
 * Thread-safety: reentrant; reads only.
 * @since 0.1
 */
KUBE_EXTERN const char *kube_object_deletion_timestamp(const kube_json_t *obj);
/**
 * Whether the object is being deleted.
 * @param obj the object (borrowed; NULL or malformed input answers absent).
 * @return 1 when `metadata.deletionTimestamp` is a string, else 0 (null counts as unset).
 * Ownership: borrowed from the object's document; valid while it lives.
 * Thread-safety: reentrant; reads only.
 * @since 0.1
 */
KUBE_EXTERN int kube_object_is_deleting(const kube_json_t *obj);
/**
 * The top-level `apiVersion` (list items from the server carry none).
 * @param obj the object (borrowed; NULL or malformed input answers absent).
 * @return the text, or NULL when absent or not a string.
 * Ownership: borrowed from the object's document; valid while it lives.
 * Thread-safety: reentrant; reads only.
 * @since 0.1
 */
KUBE_EXTERN const char *kube_object_api_version(const kube_json_t *obj);
/**
 * The top-level `kind` (list items from the server carry none).
 * @param obj the object (borrowed; NULL or malformed input answers absent).
 * @return the text, or NULL when absent or not a string.
 * Ownership: borrowed from the object's document; valid while it lives.
 * Thread-safety: reentrant; reads only.
 * @since 0.1
 */
KUBE_EXTERN const char *kube_object_kind(const kube_json_t *obj);

/**
 * `metadata.generation`.
 * @param obj the object (NULL or malformed input answers 0).
 * @return the value; 0 when absent, not an integer or out of int64 range
 *         (the server omits it for kinds without one).
 * Thread-safety: reentrant; reads only.
 * @since 0.1
 */
KUBE_EXTERN int64_t kube_object_generation(const kube_json_t *obj);

/**
 * The GVK from `apiVersion` and `kind`.
 * @param[out] out receives it; untouched on error.
 * @param obj the object.
 * @return KUBE_OK; KUBE_ENOTFOUND when either field is absent or not a string;
 *         KUBE_EINVAL when they are malformed (see kube_gvk_parse()).
 * @since 0.1
 */
KUBE_EXTERN kube_error_t kube_object_gvk(kube_gvk_t *out, const kube_json_t *obj);

/**
 * `metadata.labels`. Iterate it with kube_json_iter_init()/kube_json_iter_next(); values are strings.
 * @param obj the object (borrowed; NULL or malformed input answers absent).
 * @return the labels object value, or NULL when absent or not an object.
 * Ownership: borrowed from the object's document; valid while it lives.
 * Thread-safety: reentrant; reads only.
 * @since 0.1
 */
KUBE_EXTERN const kube_json_t *kube_object_labels(const kube_json_t *obj);
/**
 * `metadata.annotations`; iterate it as kube_object_labels().
 * @param obj the object (borrowed; NULL or malformed input answers absent).
 * @return the annotations object value, or NULL when absent or not an object.
 * Ownership: borrowed from the object's document; valid while it lives.
 * Thread-safety: reentrant; reads only.
 * @since 0.1
 */
KUBE_EXTERN const kube_json_t *kube_object_annotations(const kube_json_t *obj);
/**
 * One label.
 * @param obj the object (borrowed; NULL or malformed input answers absent).
 * @param key the label key (borrowed).
 * @return the value of label @p key, or NULL when absent, not a string, or @p key is NULL.
 * Ownership: borrowed from the object's document; valid while it lives.
 * Thread-safety: reentrant; reads only.
 * @since 0.1
 */
KUBE_EXTERN const char *kube_object_label(const kube_json_t *obj, const char *key);
/**
 * One annotation.
 * @param obj the object (borrowed; NULL or malformed input answers absent).
 * @param key the annotation key (borrowed).
 * @return the value of annotation @p key, or NULL when absent, not a string, or @p key is NULL.
 * Ownership: borrowed from the object's document; valid while it lives.
 * Thread-safety: reentrant; reads only.
 * @since 0.1
 */
KUBE_EXTERN const char *kube_object_annotation(const kube_json_t *obj, const char *key);

/**
 * `metadata.finalizers`.
 * @param obj the object (borrowed; NULL or malformed input answers absent).
 * @return the array value, or NULL when absent or not an array.
 * Ownership: borrowed from the object's document; valid while it lives.
 * Thread-safety: reentrant; reads only.
 * @since 0.1
 */
KUBE_EXTERN const kube_json_t *kube_object_finalizers(const kube_json_t *obj);
/**
 * Whether the object carries a finalizer.
 * @param obj the object (borrowed; NULL or malformed input answers absent).
 * @param finalizer the finalizer name (borrowed).
 * @return 1 when `metadata.finalizers` contains the string @p finalizer, else 0 (also for NULL).
 * Ownership: borrowed from the object's document; valid while it lives.
 * Thread-safety: reentrant; reads only.
 * @since 0.1
 */
KUBE_EXTERN int kube_object_has_finalizer(const kube_json_t *obj, const char *finalizer);

/**
 * Number of entries in `metadata.ownerReferences`.
 * @param obj the object (borrowed; NULL or malformed input answers absent).
 * @return the count; 0 when absent or not an array.
 * Ownership: borrowed from the object's document; valid while it lives.
 * Thread-safety: reentrant; reads only.
 * @since 0.1
 */
KUBE_EXTERN size_t kube_object_owner_ref_count(const kube_json_t *obj);

/**
 * Read ownerReferences entry @p index.
 * @param[out] out receives borrowed views (valid while the document lives);
 *             untouched on error.
 * @param obj the object. @param index 0-based.
 * @return KUBE_OK; KUBE_ENOTFOUND (no such entry); KUBE_EINVAL (the entry is
 *         not an object or lacks a string apiVersion, kind, name or uid).
 * @since 0.1
 */
KUBE_EXTERN kube_error_t kube_object_owner_ref(kube_owner_ref_t *out, const kube_json_t *obj, size_t index);

/**
 * The controller owner: the first ownerReferences entry with `controller: true`.
 * @param[out] out receives borrowed views; untouched on error.
 * @return KUBE_OK; KUBE_ENOTFOUND (no controller); KUBE_EINVAL (the controller
 *         entry is malformed, as kube_object_owner_ref()).
 * @since 0.1
 */
KUBE_EXTERN kube_error_t kube_object_controller(kube_owner_ref_t *out, const kube_json_t *obj);

/* ---- object keys ---- */

/**
 * Append the cache key of an object, as client-go's MetaNamespaceKeyFunc:
 * "namespace/name", or "name" when the namespace is absent or empty.
 * @param[out] out buffer appended to. @param obj the object.
 * @return KUBE_OK; KUBE_EINVAL (no name); KUBE_ENOMEM (out unchanged).
 * @since 0.1
 */
KUBE_EXTERN kube_error_t kube_object_key(kube_buf_t *out, const kube_json_t *obj);

/**
 * Append the key for @p ns and @p name: "ns/name", or "name" when @p ns is NULL or "".
 * @return KUBE_OK; KUBE_EINVAL (NULL or empty name); KUBE_ENOMEM (out unchanged).
 * @since 0.1
 */
KUBE_EXTERN kube_error_t kube_object_key_format(kube_buf_t *out, const char *ns, const char *name);

/**
 * Split a cache key made by kube_object_key() (client-go's
 * SplitMetaNamespaceKey): "ns/name" gives ns and name, "name" an empty
 * namespace. No allocation: the outputs point into @p key.
 * @param key the key (borrowed).
 * @param[out] ns_len_out length of the namespace part at the start of @p key
 *             (0 for cluster-scoped keys); may be NULL.
 * @param[out] name_out the name part (a suffix of @p key); may be NULL.
 * @return KUBE_OK; KUBE_EINVAL (NULL key, empty name or namespace around the
 *         '/', or more than one '/'). Outputs are untouched on error.
 * Thread-safety: reentrant.
 * @since 0.1
 */
KUBE_EXTERN kube_error_t kube_object_key_split(const char *key, size_t *ns_len_out, const char **name_out);

/* ---- memory: stripping ---- */

/** Strip flag: drop `metadata.managedFields`. */
#define KUBE_OBJECT_STRIP_MANAGED_FIELDS 0x1u
/** Strip flag: drop the `kubectl.kubernetes.io/last-applied-configuration` annotation
 *  (and `metadata.annotations` when it becomes empty). */
#define KUBE_OBJECT_STRIP_LAST_APPLIED 0x2u

/**
 * Make a new immutable document holding @p obj without the parts named by
 * @p flags; everything else is copied unchanged (member order kept). Stores
 * use it to save memory: managedFields is often half of an object's bytes.
 *
 * @param[out] out the new document (refcount 1); untouched on error.
 * @param obj the object (borrowed; must be a JSON object).
 * @param flags KUBE_OBJECT_STRIP_* bits.
 * @param mem allocator for the new document and temporaries, or NULL.
 * @return KUBE_OK; KUBE_EINVAL (@p obj is not an object, unknown flag bits);
 *         KUBE_ENOMEM.
 * Ownership: the caller owns *out; release with kube_json_doc_free().
 * @since 0.1
 */
KUBE_EXTERN kube_error_t kube_object_strip(kube_json_doc_t **out, const kube_json_t *obj, unsigned int flags,
                                           const kube_mem_t *mem);

/* ---- references ---- */

/**
 * Build an ObjectReference for @p obj: `{"apiVersion", "kind", "name",
 * "namespace", "uid", "resourceVersion", "fieldPath"}`, each only when known.
 * apiVersion and kind come from @p res when given (list items carry none),
 * else from the object.
 *
 * @param[out] out a new object value owned by @p doc; untouched on error.
 * @param doc the mutable document to build in.
 * @param obj the object (borrowed).
 * @param res its descriptor, or NULL to use the object's apiVersion and kind.
 * @param field_path the `fieldPath` ("spec.containers{app}"), or NULL to omit it.
 * @return KUBE_OK; KUBE_EINVAL (NULL doc or obj, no name, no kind/apiVersion
 *         from either source); KUBE_ENOMEM.
 * @since 0.1
 */
KUBE_EXTERN kube_error_t kube_object_reference(kube_json_mut_t **out, kube_json_mut_doc_t *doc,
                                               const kube_json_t *obj, const kube_resource_t *res,
                                               const char *field_path);

/** Owner reference flag: set `controller: true`. */
#define KUBE_OWNER_REF_CONTROLLER 0x1u
/** Owner reference flag: set `blockOwnerDeletion: true`. */
#define KUBE_OWNER_REF_BLOCK_OWNER_DELETION 0x2u

/**
 * Build an OwnerReference pointing at @p owner: `{"apiVersion", "kind", "name",
 * "uid"}` plus `controller: true` / `blockOwnerDeletion: true` as @p flags ask
 * (kube-rs's `controller_owner_ref` sets both). Append the result to a child's
 * `metadata.ownerReferences`.
 *
 * @param[out] out a new object value owned by @p doc; untouched on error.
 * @param doc the mutable document. @param owner the owning object.
 * @param res the owner's descriptor, or NULL to use its apiVersion and kind.
 * @param flags KUBE_OWNER_REF_* bits.
 * @return KUBE_OK; KUBE_EINVAL (NULL doc or owner, missing name, uid, kind or
 *         apiVersion, unknown flags); KUBE_ENOMEM.
 * @since 0.1
 */
KUBE_EXTERN kube_error_t kube_object_owner_reference(kube_json_mut_t **out, kube_json_mut_doc_t *doc,
                                                     const kube_json_t *owner, const kube_resource_t *res,
                                                     unsigned int flags);

/* ---- finalizer patches ---- */

/** Which kind of patch a finalizer helper produces. */
typedef enum kube_object_patch_kind {
    /** RFC 6902 JSON patch (`application/json-patch+json`), guarded by `test` operations. */
    KUBE_OBJECT_JSON_PATCH = 0,
    /** RFC 7386 merge patch (`application/merge-patch+json`) with the whole new list
     *  and `metadata.resourceVersion` as an optimistic-concurrency precondition. */
    KUBE_OBJECT_MERGE_PATCH = 1
} kube_object_patch_kind_t;

/**
 * Build a patch that adds @p finalizer to @p obj's `metadata.finalizers`.
 *
 * JSON patch, as kube-rs's finalizer helper: when the list is absent,
 * `[{"op":"test","path":"/metadata/finalizers","value":null},
 *   {"op":"add","path":"/metadata/finalizers","value":[F]}]`; otherwise
 * `[{"op":"test","path":"/metadata/finalizers","value":[current...]},
 *   {"op":"add","path":"/metadata/finalizers/-","value":F}]`, so a concurrent
 * change makes the server reject the patch (422) instead of duplicating.
 * Merge patch: `{"metadata":{"finalizers":[current..., F],"resourceVersion":RV}}`
 * (resourceVersion only when the object has one).
 *
 * @param[out] out the patch value, owned by @p doc; untouched on error.
 * @param doc the mutable document. @param obj the current object.
 * @param finalizer the name to add (non-empty). @param kind patch kind.
 * @return KUBE_OK; KUBE_EEXISTS (already present: nothing to patch);
 *         KUBE_EINVAL (NULL or empty argument, bad kind, finalizers not an array);
 *         KUBE_ENOMEM.
 * @since 0.1
 */
KUBE_EXTERN kube_error_t kube_object_finalizer_add_patch(kube_json_mut_t **out, kube_json_mut_doc_t *doc,
                                                         const kube_json_t *obj, const char *finalizer,
                                                         kube_object_patch_kind_t kind);

/**
 * Build a patch that removes @p finalizer from @p obj's `metadata.finalizers`.
 *
 * JSON patch, as kube-rs: `[{"op":"test","path":"/metadata/finalizers/I","value":F},
 * {"op":"remove","path":"/metadata/finalizers/I"}]` for the first index I
 * holding F (the test makes a concurrent reordering fail instead of removing
 * someone else's finalizer). Merge patch: the list without F (every
 * occurrence; `null` when it becomes empty) plus `resourceVersion`.
 *
 * @param[out] out the patch value, owned by @p doc; untouched on error.
 * @return KUBE_OK; KUBE_ENOTFOUND (not present: nothing to patch);
 *         KUBE_EINVAL (NULL or empty argument, bad kind); KUBE_ENOMEM.
 * @since 0.1
 */
KUBE_EXTERN kube_error_t kube_object_finalizer_remove_patch(kube_json_mut_t **out, kube_json_mut_doc_t *doc,
                                                            const kube_json_t *obj, const char *finalizer,
                                                            kube_object_patch_kind_t kind);

KUBE_END_DECL

#endif /* KUBE_OBJECT_H */
