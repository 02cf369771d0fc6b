/**
 * @file kube.h
 * @brief libkube facade: includes every public header of every installed layer.
 *
 * Declares nothing itself. Include <kube/xxx.h> directly to depend on less.
 * @since 0.1
 */
#ifndef KUBE_H
#define KUBE_H

#include <kube/common.h>
#include <kube/version.h>
#include <kube/global.h>
#include <kube/error.h>
#include <kube/sys/alloc.h>
#include <kube/buf.h>
#include <kube/json.h>
#include <kube/yaml.h>
#include <kube/status.h>
#include <kube/list.h>
#include <kube/watch.h>
#include <kube/watch_state.h>
#include <kube/backoff.h>
#include <kube/params.h>
#include <kube/request.h>
#include <kube/patch.h>
#include <kube/resource.h>
#include <kube/websocket.h>
#include <kube/channel.h>
#include <kube/quantity.h>
#include <kube/duration.h>
#include <kube/timestamp.h>
#include <kube/intorstr.h>
#include <kube/selector.h>
#include <kube/object.h>
#include <kube/admission.h>

#endif /* KUBE_H */
