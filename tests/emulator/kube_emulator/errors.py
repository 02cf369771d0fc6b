"""The one exception type every emulator module raises for an API error.

server.py renders it as a metav1.Status body (kube-apiserver's shape, see
apiserver-spec.md section 7); other modules raise it and never write responses
for errors themselves.
"""


class ApiError(Exception):
    """An error the API server answers with a JSON Status.

    code: HTTP status (404, 409, 422, ...).
    reason: metav1.StatusReason ("NotFound", "AlreadyExists", "Conflict",
        "Invalid", "BadRequest", "Forbidden", "Gone", "Expired", ...).
    message: the Status message, exactly as kube-apiserver words it.
    details: optional dict for Status.details ({"name", "group", "kind",
        "causes": [{"reason", "message", "field"}], "retryAfterSeconds"}).
    headers: optional extra response headers (e.g. {"Retry-After": "1"}).
    """

    def __init__(self, code, reason, message, details=None, headers=None):
        super().__init__(message)
        self.code = code
        self.reason = reason
        self.message = message
        self.details = details
        self.headers = headers or {}

    def status(self):
        """The metav1.Status dict, fields in Go struct order."""
        body = {
            "kind": "Status",
            "apiVersion": "v1",
            "metadata": {},
            "status": "Failure",
            "message": self.message,
            "reason": self.reason,
        }
        if self.details is not None:
            body["details"] = self.details
        body["code"] = self.code
        return body
