"""The demo's synthetic people: surnames and given names, native places, ID number areas,
ethnicities, phones and mail domains."""

from __future__ import annotations

from tongxin.core.codes import Gender

_COMMON_SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏"
    "魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵"
    "万钱严覃武戴莫孔向汤"
)
# (surname, weight): the top names weigh most; 单, 解 and the compound surnames are rare.
SURNAMES: tuple[tuple[str, int], ...] = tuple(
    (ch, 24 if i < 10 else 12 if i < 30 else 5) for i, ch in enumerate(_COMMON_SURNAMES)
) + (("单", 2), ("解", 2), ("欧阳", 2), ("司马", 1), ("诸葛", 1))
# Names that must exist: searched by initials (zm) and by surnames read differently.
PLANTED_NAMES = (("张敏", Gender.FEMALE), ("周明", Gender.MALE))
PLANTED_SURNAMES = ("单", "曾", "解", "欧阳")

_MALE_CHARS = (
    "伟强磊军勇杰涛斌超刚平辉鹏飞鑫波宁健俊帆凯峰建国志武海林东永庆德良振宏力松柏晨浩宇博航哲"
    "毅坤睿锋诚彬琦"
)
_FEMALE_CHARS = "静丽芳娟艳霞燕玲婷萍红梅琳洁慧颖雪倩晶莉丹兰英秀云芬月琴蓉薇璐悦欣瑶佳雯岚"
_SHARED_CHARS = "文华明晓春新敏晨立嘉思清安"

# fmt: off
_NATIVE_PLACES = (
    ("湖北武汉", 30), ("湖北黄冈", 8), ("湖北孝感", 6), ("湖北荆州", 6), ("湖北襄阳", 5),
    ("湖北宜昌", 5), ("湖北黄石", 4), ("湖北咸宁", 3), ("湖北十堰", 3), ("湖北恩施", 2),
    ("湖南长沙", 3), ("湖南岳阳", 2), ("河南信阳", 3), ("河南南阳", 2), ("江西九江", 2),
    ("安徽安庆", 2), ("四川成都", 1), ("浙江杭州", 1), ("江苏南京", 1), ("山东济南", 1),
)
# Hubei address codes (GB/T 2260), with a few from neighbouring provinces.
_AREA_CODES = (
    ("420102", 8), ("420103", 8), ("420104", 6), ("420105", 6), ("420106", 10), ("420107", 3),
    ("420111", 8), ("420112", 3), ("420113", 2), ("420114", 3), ("420115", 3), ("420116", 2),
    ("420202", 2), ("420281", 2), ("420302", 1), ("420502", 2), ("420602", 2), ("420606", 2),
    ("420902", 3), ("420984", 2), ("421002", 2), ("421003", 2), ("421102", 3), ("421122", 2),
    ("421202", 1), ("421302", 1), ("422801", 1),
    ("430102", 1), ("411502", 1), ("360402", 1), ("340802", 1),
)
# 回族, 土家族, 满族, 蒙古族, 苗族, 壮族, 朝鲜族
_MINORITIES = (("03", 3), ("15", 3), ("11", 2), ("02", 1), ("06", 1), ("08", 1), ("10", 1))
_MOBILE_PREFIXES = (
    "133", "135", "136", "137", "138", "139", "150", "151", "152", "155", "158", "159", "177",
    "180", "186", "187", "189", "199",
)
_MAIL_DOMAINS = (("163.com", 4), ("qq.com", 4), ("126.com", 2), ("sina.com", 1))
# fmt: on
