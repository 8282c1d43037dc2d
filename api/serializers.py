"""Shapes shared by every app's endpoints."""

from rest_framework import serializers


class DetailSerializer(serializers.Serializer):
    """Every error: 400, 401, 403, 404, 409, 413, 415 (docs/api.md)."""

    detail = serializers.CharField()
