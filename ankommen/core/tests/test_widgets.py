from django import forms

from ankommen.core.widgets import PlainSelect, PlainSelectMultiple


class ChoiceForm(forms.Form):
    one = forms.ChoiceField(choices=[("", "all"), ("UA", "Ukraine"), ("x<y", "<b>bold</b>")], widget=PlainSelect)
    many = forms.MultipleChoiceField(choices=[("uk", "Ukrainisch"), ("ar", "Arabisch")], widget=PlainSelectMultiple)


def test_plain_select_renders_like_django_with_the_chosen_option_selected_and_everything_escaped():
    form = ChoiceForm(data={"one": "UA", "many": ["ar"]})
    one = str(form["one"])
    assert 'name="one"' in one
    assert 'id="id_one"' in one
    assert '<option value="UA" selected>Ukraine</option>' in one
    assert '<option value="x&lt;y">&lt;b&gt;bold&lt;/b&gt;</option>' in one
    many = str(form["many"])
    assert " multiple" in many
    assert '<option value="ar" selected>Arabisch</option>' in many
    assert '<option value="uk">Ukrainisch</option>' in many
    assert form.is_valid()
