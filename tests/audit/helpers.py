from tongxin.people.forms import PersonForm


def person_edit_data(person, **changes) -> dict:
    """The person form as the edit page fills it, with ``changes``."""
    form = PersonForm(instance=person)
    data = {}
    for field in form:
        value = field.value()
        if value is None:
            value = ""
        data[field.html_name] = value
    data.update(changes)
    return data
