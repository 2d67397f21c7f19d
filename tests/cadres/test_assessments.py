"""Annual assessments: the two grade sets, the ungraded outcomes and their reasons, one a year;
and the workbook import that checks a whole file and writes all of it or nothing."""

import io

import pytest
from django.core.exceptions import ValidationError
from openpyxl import Workbook, load_workbook

from tests.factories import make_member
from tongxin.cadres import assessment_import, services
from tongxin.cadres.models import AnnualAssessment, GradeSet
from tongxin.core.codes import AssessmentGrade
from tongxin.core.scope import Scope

pytestmark = pytest.mark.django_db


def _save(person, year=2024, **fields):
    return services.assessment_save(assessment=AnnualAssessment(person=person, year=year, **fields))


@pytest.fixture
def member(world):
    return make_member(world.branch_a, name="张敏")


def test_a_grade_of_one_set_fills_in_the_set(member):
    assessment = _save(member, grade=AssessmentGrade.BASICALLY_QUALIFIED)
    assert assessment.grade_set == GradeSet.PUBLIC_INSTITUTION
    assert _save(member, 2023, grade=AssessmentGrade.COMPETENT).grade_set == GradeSet.CIVIL_SERVICE


def test_excellent_belongs_to_both_sets(member):
    assert _save(member, grade=AssessmentGrade.EXCELLENT).grade_set == ""


def test_a_grade_of_the_other_set_is_refused(member):
    with pytest.raises(ValidationError) as caught:
        _save(member, grade=AssessmentGrade.COMPETENT, grade_set=GradeSet.PUBLIC_INSTITUTION)
    assert "事业单位的考核等次为 优秀、合格、基本合格、不合格" in str(caught.value)
    assert not AnnualAssessment.objects.exists()


@pytest.mark.parametrize("grade", [AssessmentGrade.UNGRADED, AssessmentGrade.NOT_ASSESSED])
def test_ungraded_outcomes_need_a_reason(member, grade):
    with pytest.raises(ValidationError, match="须填写原因"):
        _save(member, grade=grade)
    assert _save(member, grade=grade, reason="新录用人员").reason == "新录用人员"


def test_one_assessment_a_year(member):
    _save(member, grade=AssessmentGrade.EXCELLENT)
    with pytest.raises(ValidationError, match="这一年度已有考核结果"):
        _save(member, grade=AssessmentGrade.QUALIFIED)


# --- the workbook import -------------------------------------------------------------------


def _workbook(
    rows, header=("姓名", "身份证号", "年度", "考核等次", "等次类别", "原因", "考核单位")
):
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "年度考核"
    sheet.append(list(header))
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@pytest.fixture
def two(world):
    return (
        make_member(world.branch_a, name="张敏"),
        make_member(world.branch_a, name="周明", gender="2"),
    )


def test_the_template_has_the_columns_and_drop_downs():
    sheet = load_workbook(io.BytesIO(assessment_import.template_workbook()))["年度考核"]
    assert [c.value for c in sheet[1]] == [
        "姓名",
        "身份证号",
        "年度",
        "考核等次",
        "等次类别",
        "原因",
        "考核单位",
    ]
    listed = [v.formula1 for v in sheet.data_validations.dataValidation]
    assert any("基本称职" in f and "不进行考核" in f for f in listed)


def test_a_good_file_is_imported_whole(world, two):
    first, second = two
    data = _workbook(
        [
            ("张敏", first.id_number, 2024, "优秀", "", "", "江城大学"),
            ("周明", second.id_number, "2024年", "基本合格", "", "", ""),
            ("周明", second.id_number, 2023, "不定等次", "事业单位", "病假超过半年", ""),
        ]
    )
    result = assessment_import.import_file(
        data=data, filename="考核.xlsx", scope=Scope.of([world.city.path]), by=None
    )
    assert result.ok, result.messages()
    assert (result.created, result.updated) == (3, 0)
    saved = {(a.person.name, a.year): a for a in AnnualAssessment.objects.all()}
    assert saved[("张敏", 2024)].unit == "江城大学"
    assert saved[("周明", 2024)].grade == AssessmentGrade.BASICALLY_QUALIFIED
    assert saved[("周明", 2024)].grade_set == GradeSet.PUBLIC_INSTITUTION
    assert saved[("周明", 2023)].reason == "病假超过半年"


def test_importing_again_updates_what_changed(world, two):
    first, _second = two
    scope = Scope.of([world.city.path])
    assessment_import.import_file(
        data=_workbook([("张敏", first.id_number, 2024, "称职", "", "", "")]),
        filename="a.xlsx",
        scope=scope,
        by=None,
    )
    result = assessment_import.import_file(
        data=_workbook([("张敏", first.id_number, 2024, "优秀", "", "", "")]),
        filename="a.xlsx",
        scope=scope,
        by=None,
    )
    assert (result.created, result.updated) == (0, 1)
    assert AnnualAssessment.objects.get().grade == AssessmentGrade.EXCELLENT


def test_a_bad_file_lists_every_error_by_row_and_column_and_writes_nothing(world, two):
    first, second = two
    far = make_member(world.other_branch, name="司马远")
    data = _workbook(
        [
            ("张敏", first.id_number, 2024, "优秀", "", "", ""),  # good, but not written
            ("周明", second.id_number, 2024, "甲等", "", "", ""),
            ("张三", first.id_number, 2023, "称职", "", "", ""),
            ("司马远", far.id_number, 2024, "称职", "", "", ""),
            ("周明", second.id_number, 2023, "不进行考核", "", "", ""),
            ("周明", second.id_number, 2022, "称职", "事业单位", "", ""),
            ("周明", second.id_number, "二〇二四", "优秀", "", "", ""),
            ("张敏", "11010519491231002Y", 2024, "优秀", "", "", ""),
        ]
    )
    result = assessment_import.import_file(
        data=data, filename="考核.xlsx", scope=Scope.of([world.city.path]), by=None
    )
    messages = result.messages()
    assert not result.ok
    assert AnnualAssessment.objects.count() == 0
    expected = [
        ("第3行", "“考核等次”列", "不是可选的考核等次"),
        ("第4行", "“姓名”列", "姓名与身份证号不符"),
        ("第5行", "“身份证号”列", "不在您的管理范围内"),
        ("第6行", "“原因”列", "不进行考核须填写原因"),
        ("第7行", "“考核等次”列", "事业单位的考核等次为"),
        ("第8行", "“年度”列", "四位数的年份"),
        ("第9行", "“身份证号”列", ""),
    ]
    for row, column, reason in expected:
        assert any(
            m.startswith(f"“年度考核”工作表{row}{column}") and reason in m for m in messages
        ), (row, messages)
    assert len(messages) == len(expected)
    rows = [int(m.split("第")[1].split("行")[0]) for m in messages]
    assert rows == sorted(rows)
    # The person outside the scope is not named by the error.
    assert not any("司马远" in m and "系统中" in m for m in messages)


def test_a_repeated_person_and_year_is_named_with_the_first_row(world, two):
    first, _second = two
    data = _workbook(
        [
            ("张敏", first.id_number, 2024, "优秀", "", "", ""),
            ("张敏", first.id_number, 2024, "称职", "", "", ""),
        ]
    )
    result = assessment_import.check_file(
        data=data, filename="a.xlsx", scope=Scope.of([world.city.path])
    )
    assert result.messages() == [
        "“年度考核”工作表第3行“年度”列：与第2行重复：同一人同一年度只能有一个考核结果（填写的是“2024”）"
    ]


def test_a_file_without_the_required_columns_is_refused(world):
    data = _workbook([("张敏", 2024)], header=("姓名", "年度"))
    result = assessment_import.check_file(
        data=data, filename="a.xlsx", scope=Scope.of([world.city.path])
    )
    messages = " ".join(result.messages())
    assert "缺少必填列“身份证号”" in messages and "缺少必填列“考核等次”" in messages


def test_a_file_that_is_not_a_workbook_is_refused(world):
    result = assessment_import.check_file(
        data=b"\x00\x01not a workbook", filename="a.xlsx", scope=Scope.of([world.city.path])
    )
    assert result.messages() == ["不是 Excel 工作簿（.xlsx）或 CSV 文件"]
