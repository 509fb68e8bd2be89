"""Bulk imports over the API: upload a spreadsheet of people and follow its run.

The same services as the staff pages (people/imports.py): the file is stored with its
columns mapped from the headers (or by the mapping sent, or a mapping saved under a name),
then run by a task; its status says how far it got. The rows in error are the staff page's
error file, recorded in the access log as the page records it.
"""

import json

from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound
from rest_framework.exceptions import ValidationError as BadRequest
from rest_framework.parsers import MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from evac.api.fields import StrictCharField, StrictIntegerField
from evac.api.views.base import FileView, OperationView, valid_data
from evac.audit.models import AccessAction
from evac.core.responses import file_response
from evac.operations.access import Permission
from evac.people import imports
from evac.people.import_models import ImportMapping, PeopleImport
from evac.people.spreadsheets import MAX_FILE_BYTES, UnreadableFile


class ImportSerializer(serializers.ModelSerializer):
    percent = serializers.IntegerField(read_only=True)

    class Meta:
        model = PeopleImport
        fields = [
            "id",
            "file_name",
            "status",
            "created_at",
            "finished_at",
            "rows_total",
            "rows_done",
            "rows_created",
            "rows_skipped",
            "rows_error",
            "percent",
            "mapping",
        ]
        read_only_fields = fields


class ImportUploadSerializer(serializers.Serializer):
    file = serializers.FileField(help_text="CSV or XLSX; the first row holds the column titles.")
    mapping = serializers.CharField(
        required=False,
        # Blank reaches validate_mapping and is refused there as "not JSON"; without this,
        # DRF would quietly read a blank form field as one left out.
        allow_blank=True,
        help_text='JSON: column title → field, e.g. {"Прізвище": "surname"}. '
        "Guessed from the titles when left out.",
    )
    run = serializers.BooleanField(default=True, help_text="Start the import at once.")

    def validate_file(self, upload):
        if upload.size > MAX_FILE_BYTES:
            raise serializers.ValidationError(f"larger than {MAX_FILE_BYTES >> 20} MB")
        return upload

    def validate_mapping(self, text: str) -> dict:
        try:
            mapping = json.loads(text)
        except ValueError as error:
            raise serializers.ValidationError("not JSON") from error
        if not isinstance(mapping, dict):
            raise serializers.ValidationError("a JSON object: column title → field")
        return {str(k): str(v) for k, v in mapping.items()}


class ImportList(OperationView):
    read_permission = Permission.IMPORT_PEOPLE
    write_permission = Permission.IMPORT_PEOPLE
    serializer_class = ImportSerializer
    parser_classes = [MultiPartParser]
    ordering = ("-created_at", "-pk")

    def get_queryset(self):
        return PeopleImport.objects.filter(operation=self.operation).defer("content", "error_rows")

    @extend_schema(responses=ImportSerializer(many=True))
    def get(self, request: Request, op: str) -> Response:
        """The operation's imports, newest first."""
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @extend_schema(request=ImportUploadSerializer, responses={201: ImportSerializer})
    def post(self, request: Request, op: str) -> Response:
        """Upload a spreadsheet of people; with `run` (the default) it is imported at once."""
        data = valid_data(ImportUploadSerializer, request.data)
        upload = data["file"]
        try:
            created = imports.import_create(
                operation=self.operation,
                by=request.user,
                file_name=upload.name,
                content=upload.read(),
            )
            if "mapping" in data:
                _set_mapping(created, data["mapping"], by=request.user)
            if data["run"]:
                imports.import_start(people_import=created, by=request.user)
        except UnreadableFile as error:
            raise BadRequest({"file": [str(error)]}) from error
        except ValidationError as error:
            raise BadRequest({"mapping": error.messages}) from error
        return Response(ImportSerializer(created).data, status=status.HTTP_201_CREATED)


def _set_mapping(people_import: PeopleImport, titles: dict[str, str], *, by) -> None:
    """The mapping sent by column title, as the service takes it: by column number."""
    by_header = {header: str(i) for i, header in enumerate(people_import.headers)}
    mapping = {by_header[h]: t for h, t in titles.items() if h in by_header}
    imports.import_set_mapping(people_import=people_import, by=by, mapping=mapping)


class ImportStartSerializer(serializers.Serializer):
    mapping = serializers.DictField(
        child=serializers.CharField(max_length=100),
        required=False,
        help_text='Column title → field, e.g. {"Прізвище": "surname"}; without it, the '
        "mapping the import has (guessed from the titles, or sent with the upload).",
    )


class ImportView(OperationView):
    read_permission = Permission.IMPORT_PEOPLE
    serializer_class = ImportSerializer

    def get_queryset_for(self, pk: int) -> PeopleImport:
        found = (
            PeopleImport.objects.filter(operation=self.operation, pk=pk)
            .defer("content", "error_rows")
            .first()
        )
        if found is None:
            raise NotFound()
        return found


class ImportDetail(ImportView):
    def get(self, request: Request, op: str, pk: int) -> Response:
        """How far an import got: rows done, registered, already imported, in error."""
        found = self.get_queryset_for(pk)
        return Response(ImportSerializer(found).data)


class ImportStart(ImportView):
    write_permission = Permission.IMPORT_PEOPLE

    @extend_schema(request=ImportStartSerializer, responses={200: ImportSerializer})
    def post(self, request: Request, op: str, pk: int) -> Response:
        """Start an import uploaded with `"run": false`, as the import page's "Import" button,
        with the mapping sent (or the one it has). 400 when it has started already, or the
        mapping leaves out a field every person needs."""
        people_import = self.get_queryset_for(pk)
        data = valid_data(ImportStartSerializer, request.data)
        try:
            if "mapping" in data:
                _set_mapping(people_import, data["mapping"], by=request.user)
            imports.import_start(people_import=people_import, by=request.user)
        except ValidationError as error:
            raise BadRequest({"mapping": error.messages}) from error
        return Response(ImportSerializer(self.get_queryset_for(pk)).data)


# Saved mappings and the error file --------------------------------------------------------


class SavedMappingSerializer(serializers.ModelSerializer):
    mapping = serializers.DictField(
        child=serializers.CharField(),
        read_only=True,
        help_text='Column title → field, e.g. {"Прізвище": "surname"}.',
    )

    class Meta:
        model = ImportMapping
        fields = ["id", "name", "mapping"]
        read_only_fields = fields


class MappingSaveSerializer(serializers.Serializer):
    name = StrictCharField(
        max_length=100, help_text="Saving under a name already used replaces that mapping."
    )


class MappingApplySerializer(serializers.Serializer):
    mapping = StrictIntegerField(help_text="The id of a saved mapping (GET …/mappings/).")


class SavedMappingList(OperationView):
    read_permission = Permission.IMPORT_PEOPLE
    serializer_class = SavedMappingSerializer
    ordering = ("name", "pk")

    def get_queryset(self):
        return ImportMapping.objects.filter(operation=self.operation)

    @extend_schema(responses=SavedMappingSerializer(many=True))
    def get(self, request: Request, op: str) -> Response:
        """The mappings saved under a name in this operation, by name."""
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


class ImportMappingSave(ImportView):
    write_permission = Permission.IMPORT_PEOPLE
    serializer_class = MappingSaveSerializer

    @extend_schema(responses={201: SavedMappingSerializer})
    def post(self, request: Request, op: str, pk: int) -> Response:
        """Save the import's mapping under a name, by column title, for the next file from the
        same source, as the import page's "Save as"."""
        people_import = self.get_queryset_for(pk)
        data = valid_data(MappingSaveSerializer, request.data)
        saved = imports.mapping_save(
            people_import=people_import, by=request.user, name=data["name"]
        )
        return Response(SavedMappingSerializer(saved).data, status=status.HTTP_201_CREATED)


class ImportMappingApply(ImportView):
    write_permission = Permission.IMPORT_PEOPLE
    serializer_class = MappingApplySerializer

    @extend_schema(responses={200: ImportSerializer})
    def post(self, request: Request, op: str, pk: int) -> Response:
        """Map the import's columns by a saved mapping (its columns with the same titles), as
        the import page's saved mappings. 400 on `mapping` when there is no such mapping in
        the operation or the import has started."""
        people_import = self.get_queryset_for(pk)
        data = valid_data(MappingApplySerializer, request.data)
        saved = ImportMapping.objects.filter(operation=self.operation, pk=data["mapping"]).first()
        if saved is None:
            raise BadRequest({"mapping": [_("No such saved mapping in this operation.")]})
        try:
            imports.mapping_apply(people_import=people_import, by=request.user, saved=saved)
        except ValidationError as error:
            raise BadRequest({"mapping": error.messages}) from error
        return Response(ImportSerializer(self.get_queryset_for(pk)).data)


class ImportErrorsCsv(FileView, ImportView):
    @extend_schema(
        operation_id="operations_imports_errors_csv",
        responses={
            (200, "text/csv"): OpenApiResponse(
                OpenApiTypes.STR,
                description="CSV: the file's own header row, then Row and Reason; one line "
                "per row that was not registered, as it was in the file.",
            )
        },
    )
    def get(self, request: Request, op: str, pk: int) -> HttpResponse:
        """The rows that were not registered, as the import page's error file; each download
        is recorded (whole rows: people's details)."""
        people_import = PeopleImport.objects.filter(operation=self.operation, pk=pk).first()
        if people_import is None:
            raise NotFound()
        self.log_access(request, people_import, AccessAction.IMPORT_ERRORS_DOWNLOADED)
        content = imports.import_errors_csv(people_import=people_import, by=request.user)
        return file_response(
            content=content,
            content_type="text/csv; charset=utf-8",
            filename=f"import-{people_import.pk}-errors.csv",
        )
