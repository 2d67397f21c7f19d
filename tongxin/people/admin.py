from django.contrib import admin

from .models import Affiliation, MembershipSpell, Person, Post, id_number_q
from .services import person_update


class SpellInline(admin.TabularInline):
    model = MembershipSpell
    extra = 0
    autocomplete_fields = ["org"]


class AffiliationInline(admin.TabularInline):
    model = Affiliation
    extra = 0
    autocomplete_fields = ["org"]


class PostInline(admin.TabularInline):
    model = Post
    extra = 0
    fk_name = "person"
    autocomplete_fields = ["org"]


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "gender",
        "birth_date",
        "education",
        "title_level",
        "work_unit",
        "is_retired",
    ]
    list_filter = [
        "gender",
        "education",
        "degree",
        "title_level",
        "sector",
        "unit_nature",
        "is_retired",
        "is_cross_member",
    ]
    # The ID number's column holds ciphertext: a search by number goes through its hash.
    search_fields = ["name", "name_pinyin", "name_initials", "work_unit"]
    readonly_fields = ["name_pinyin", "name_initials", "created_at", "updated_at"]
    inlines = [SpellInline, AffiliationInline, PostInline]

    def get_search_results(self, request, queryset, search_term):
        found, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        term = search_term.strip()
        if term:
            found |= queryset.filter(id_number_q([term]))
        return found, may_have_duplicates

    def save_model(self, request, obj, form, change):
        # The same service as the pages: pinyin, ID-number checks, validation.
        person_update(person=obj)


@admin.register(MembershipSpell)
class MembershipSpellAdmin(admin.ModelAdmin):
    list_display = ["person", "org", "start", "start_reason", "end", "end_reason"]
    list_filter = ["start_reason", "end_reason"]
    search_fields = ["person__name", "person__name_pinyin", "org__name", "document_no"]
    autocomplete_fields = ["person", "org"]
    date_hierarchy = "start"


@admin.register(Post)
class PostAdmin(admin.ModelAdmin):
    list_display = ["person", "kind", "title", "rank", "body", "level", "start", "end"]
    list_filter = ["kind", "rank", "body", "level"]
    search_fields = ["person__name", "title", "unit"]
    autocomplete_fields = ["person", "org"]
