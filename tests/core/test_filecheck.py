"""The one check of an uploaded file: each refusal names the file and what is wrong, with real
small files (Pillow's images, python-docx's documents, a PDF, a renamed program)."""

import io
import zipfile

import docx
import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from tongxin.core import filecheck

ANY = filecheck.Accept(
    kinds=(
        filecheck.PDF,
        filecheck.DOC,
        filecheck.DOCX,
        filecheck.JPEG,
        filecheck.PNG,
        filecheck.WEBP,
    ),
    limit_setting="TONGXIN_ATTACHMENT_MAX_MB",
    noun="附件",
    each="每个附件",
)
IMAGES = filecheck.Accept(
    kinds=(filecheck.JPEG, filecheck.PNG),
    limit_setting="TONGXIN_PHOTO_MAX_MB",
    noun="照片",
    each="每张照片",
)
PDF = b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00" + b"\0" * 118 + b"PE\0\0"


def image(fmt: str, size=(32, 24), mode="RGB") -> bytes:
    out = io.BytesIO()
    Image.new(mode, size, "red" if mode == "RGB" else 0).save(out, fmt)
    return out.getvalue()


def word(text="入会申请书") -> bytes:
    document = docx.Document()
    document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data)


def refusal(name: str, data: bytes, accept=ANY) -> str:
    with pytest.raises(ValidationError) as caught:
        filecheck.check(upload(name, data), accept)
    (message,) = caught.value.messages
    return message


@pytest.mark.parametrize(
    ("name", "data", "kind", "content_type"),
    [
        ("意见.pdf", PDF, filecheck.PDF, "application/pdf"),
        ("申请表.DOCX", word(), filecheck.DOCX, filecheck.DOCX.content_type),
        ("旧表.doc", OLE2, filecheck.DOC, "application/msword"),
        ("扫描件.jpg", image("JPEG"), filecheck.JPEG, "image/jpeg"),
        ("扫描件.jpeg", image("JPEG"), filecheck.JPEG, "image/jpeg"),
        ("截图.png", image("PNG"), filecheck.PNG, "image/png"),
        ("照片.webp", image("WEBP"), filecheck.WEBP, "image/webp"),
    ],
)
def test_it_accepts_each_kind_by_its_content(name, data, kind, content_type):
    checked = filecheck.check(upload(name, data), ANY)
    assert (checked.name, checked.kind, checked.content_type) == (name, kind, content_type)
    assert checked.data == data


def test_an_image_is_told_by_its_content_whatever_image_suffix_it_has():
    checked = filecheck.check(upload("微信图片.jpg", image("PNG")), ANY)
    assert checked.kind == filecheck.PNG
    assert checked.content_type == "image/png"


def test_the_upload_is_left_at_its_start_to_be_saved():
    file = upload("意见.pdf", PDF)
    filecheck.check(file, ANY)
    assert file.read() == PDF


def test_the_name_loses_any_folder_it_was_sent_with():
    checked = filecheck.check(upload("C:\\扫描\\意见.pdf", PDF), ANY)
    assert checked.name == "意见.pdf"


def test_a_renamed_program_is_refused_by_its_content():
    assert (
        refusal("申请书.pdf", EXE)
        == "「申请书.pdf」的内容不是 PDF 文件（文件已损坏，或只是改了扩展名）"
    )
    assert refusal("照片.jpg", EXE) == (
        "「照片.jpg」的内容不是 JPG、PNG 或 WebP 图片（文件已损坏，或只是改了扩展名）"
    )
    assert refusal("旧表.doc", EXE).startswith("「旧表.doc」的内容不是 Word 97-2003 文档")


def test_a_program_by_its_own_name_is_refused_by_its_suffix():
    assert refusal("setup.exe", EXE) == (
        "「setup.exe」的类型不能作为附件上传：只接受 PDF、DOC、DOCX、JPG、PNG 或 WebP 文件"
    )
    assert refusal("无扩展名", PDF).startswith("「无扩展名」的类型不能作为附件上传")


def test_an_empty_file_is_refused():
    assert refusal("意见.pdf", b"") == "「意见.pdf」是空文件"


def test_a_file_over_the_limit_is_refused_with_its_size(settings):
    settings.TONGXIN_ATTACHMENT_MAX_MB = 1
    big = PDF[:-6] + b" " * (1024 * 1024) + b"%%EOF\n"
    assert refusal("大.pdf", big) == "「大.pdf」有 1.0 MB，超过每个附件 1 MB 的上限"
    settings.TONGXIN_ATTACHMENT_MAX_MB = 2
    assert filecheck.check(upload("大.pdf", big), ANY).kind == filecheck.PDF


def test_a_pdf_cut_short_is_refused():
    assert refusal("半份.pdf", PDF[: len(PDF) // 2]).startswith("「半份.pdf」的内容不是 PDF 文件")


def test_a_docx_must_be_a_word_package():
    workbook = io.BytesIO()
    with zipfile.ZipFile(workbook, "w") as package:
        package.writestr("xl/workbook.xml", "<x/>")
    assert refusal("申请表.docx", workbook.getvalue()) == (
        "「申请表.docx」的内容不是 Word 文档（.docx）（文件已损坏，或只是改了扩展名）"
    )
    assert refusal("申请表.docx", b"PK\x03\x04 not really a zip").startswith(
        "「申请表.docx」的内容不是 Word 文档"
    )


def test_an_image_of_a_kind_not_accepted_is_named():
    assert refusal("动图.png", image("GIF", mode="P"), IMAGES) == (
        "「动图.png」是 GIF 图片：只接受 JPG 或 PNG 图片"
    )
    assert refusal("照片.webp", image("WEBP"), IMAGES).startswith(
        "「照片.webp」的类型不能作为照片上传：只接受 JPG 或 PNG 文件"
    )


def test_a_truncated_image_is_refused_in_chinese():
    whole = image("PNG", size=(300, 200), mode="RGB")
    message = refusal("半张.png", whole[: len(whole) // 2])
    assert message.startswith("「半张.png」不完整（文件被截断")
    assert "runcated" not in message


def test_an_image_of_too_many_pixels_is_refused_before_it_is_decoded():
    bomb = image("PNG", size=(10_000, 6_001), mode="1")
    assert len(bomb) < 1024 * 1024
    assert refusal("大图.png", bomb) == "「大图.png」有 10000×6001 像素，超过 60 百万像素的上限"


def test_each_way_in_tells_its_kinds_and_its_input_accepts_them():
    assert IMAGES.listed == "JPG 或 PNG"
    assert IMAGES.attribute == ".jpg,.jpeg,.png,image/jpeg,image/png"


WORKBOOKS = filecheck.Accept(
    kinds=(filecheck.XLSX, filecheck.CSV),
    limit_setting="TONGXIN_MAX_UPLOAD_MB",
    noun="名册文件",
    each="每次导入",
    advice="；旧版 .xls 请在 Excel 中另存为 .xlsx",
)


def test_a_workbook_is_checked_by_name_and_size_its_content_left_to_its_reader(settings):
    # The reader tells an encrypted or old workbook apart; here only the name and size count.
    checked = filecheck.check(upload("名册.xlsx", OLE2), WORKBOOKS)
    assert (checked.kind, checked.data) == (filecheck.XLSX, None)
    assert refusal("名册.xls", OLE2, WORKBOOKS) == (
        "「名册.xls」的类型不能作为名册文件上传：只接受 XLSX 或 CSV 文件；"
        "旧版 .xls 请在 Excel 中另存为 .xlsx"
    )
    settings.TONGXIN_MAX_UPLOAD_MB = 0
    assert refusal("名册.csv", b"a,b", WORKBOOKS) == (
        "「名册.csv」有 0.0 MB，超过每次导入 0 MB 的上限"
    )
