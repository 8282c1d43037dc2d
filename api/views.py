"""A page for programme staff that lists the API's operations from its OpenAPI schema.

Drawn by our own template in the site's layout: no Swagger UI, nothing from a CDN (the servers
may have no internet, and the CSP allows our own files only).
"""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from drf_spectacular.generators import SchemaGenerator

from accounts import roles

HTTP_METHODS = ("get", "post", "put", "patch", "delete")


def schema_operations(schema: dict) -> list[dict]:
    """One row per operation: method, path, summary, and what it takes and answers."""
    operations = []
    for path, item in schema.get("paths", {}).items():
        for method in HTTP_METHODS:
            operation = item.get(method)
            if operation is None:
                continue
            request = operation.get("requestBody", {}).get("content", {}).get("application/json", {})
            operations.append(
                {
                    "method": method.upper(),
                    "path": path,
                    "operation_id": operation.get("operationId", ""),
                    "summary": operation.get("summary", ""),
                    "description": operation.get("description", ""),
                    "request": request.get("schema", {}).get("$ref", "").rsplit("/", 1)[-1],
                    "responses": [
                        {
                            "status": status,
                            "schema": response.get("content", {})
                            .get("application/json", {})
                            .get("schema", {})
                            .get("$ref", "")
                            .rsplit("/", 1)[-1],
                        }
                        for status, response in operation.get("responses", {}).items()
                    ],
                }
            )
    return operations


def _type_of(spec: dict) -> str:
    """ "integer", "string (date-time)", "array of RosterRow", "Status" …: what a field holds."""
    if "$ref" in spec:
        return spec["$ref"].rsplit("/", 1)[-1]
    if "allOf" in spec:
        return ", ".join(_type_of(part) for part in spec["allOf"])
    if spec.get("type") == "array":
        return f"array of {_type_of(spec.get('items', {}))}"
    kind = spec.get("type", "object")
    return f"{kind} ({spec['format']})" if "format" in spec else kind


def schema_shapes(schema: dict) -> list[dict]:
    shapes = []
    for name, component in sorted(schema.get("components", {}).get("schemas", {}).items()):
        fields = [
            {
                "name": field,
                "type": _type_of(spec),
                "required": field in component.get("required", ()),
                "description": spec.get("description", ""),
                "enum": spec.get("enum", ()),
            }
            for field, spec in component.get("properties", {}).items()
        ]
        shapes.append(
            {
                "name": name,
                "description": component.get("description", ""),
                "fields": fields,
                "enum": component.get("enum", ()),
            }
        )
    return shapes


@login_required
def schema_browse(request):
    if not roles.is_programme_staff(request.user):
        raise PermissionDenied(_("The API reference is for programme staff."))
    # The whole schema (public=True): no request, so no operation is left out for this user.
    schema = SchemaGenerator().get_schema(request=None, public=True)
    context = {
        "info": schema.get("info", {}),
        "operations": schema_operations(schema),
        "shapes": schema_shapes(schema),
    }
    return render(request, "api/schema_browse.html", context)


@csrf_exempt  # it changes nothing, and a POST to a wrong address should hear "not found", not "CSRF"
def not_found(request, path: str = ""):
    """Any other address under /api/v1/ (say /sessions/-1/roster/) is a JSON 404, not the site's page."""
    return JsonResponse({"detail": _("Not found.")}, status=404)
