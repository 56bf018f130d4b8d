from django.contrib import admin

from apps.people.models import Consent, DestructionAct, ImportBatch, Person, Subject


@admin.register(Subject)
class SubjectAdmin(admin.ModelAdmin):
    search_fields = ["name"]


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ["last_name", "first_name", "middle_name", "position", "organisation", "status"]
    list_filter = ["status", "category", "is_young_specialist"]
    search_fields = ["last_name", "first_name", "name_key"]
    autocomplete_fields = ["organisation", "user", "subjects"]
    list_select_related = ["organisation"]


@admin.register(Consent)
class ConsentAdmin(admin.ModelAdmin):
    list_display = ["person", "kind", "given_on", "valid_until", "withdrawn_at"]
    list_filter = ["kind", "method"]
    search_fields = ["person__last_name"]
    raw_id_fields = ["person", "recorded_by"]
    list_select_related = ["person"]


@admin.register(DestructionAct)
class DestructionActAdmin(admin.ModelAdmin):
    list_display = ["number", "organisation", "subject_label", "created_at"]
    readonly_fields = [f.name for f in DestructionAct._meta.fields]


@admin.register(ImportBatch)
class ImportBatchAdmin(admin.ModelAdmin):
    list_display = ["file_name", "organisation", "status", "row_count", "created_at"]
    list_filter = ["status"]
    exclude = ["rows"]
    raw_id_fields = ["organisation", "uploaded_by"]
