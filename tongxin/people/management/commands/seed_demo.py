"""python manage.py seed_demo [--seed N] [--reset] [--members N]"""

from __future__ import annotations

import os
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from tongxin.accounts.roles import Role
from tongxin.core.bulk import analyze
from tongxin.orgs.models import Organization
from tongxin.people import demo
from tongxin.people.demo.users import DISTRICT_CODE

DEMO_URL = "http://127.0.0.1:8000"
SKIPPED = "演示数据已存在，跳过（使用 --reset 重新生成）"
PASSWORD_ENV = "TONGXIN_DEMO_PASSWORD"


class Command(BaseCommand):
    help = (
        "生成演示数据：民盟江城市委员会、18个支部、约300名盟员及近五年的入盟、转接、退出记录，"
        "并为每个角色创建一个演示用户（admin 超级管理员、zhibu 支部主委、shenji 审计管理员等）。"
        f"密码取环境变量 {PASSWORD_ENV}，未设置时随机生成。"
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--seed", type=int, default=demo.DEFAULT_SEED, help="随机种子：相同种子生成相同数据"
        )
        parser.add_argument(
            "--reset", action="store_true", help="先删除已有的演示组织及其人员、成员关系和职务"
        )
        parser.add_argument(
            "--members",
            type=int,
            default=demo.DEFAULT_MEMBERS,
            help=f"现有盟员人数（默认 {demo.DEFAULT_MEMBERS}，至少 {demo.MIN_MEMBERS}）",
        )

    def handle(self, *args, seed: int, reset: bool, members: int, **options):
        if members < demo.MIN_MEMBERS:
            raise CommandError(f"--members 不能少于 {demo.MIN_MEMBERS}")
        today = timezone.localdate()
        summary = None
        extra_lines: list[str] = []
        with transaction.atomic():
            if reset and demo.reset_demo():
                self.stdout.write("已删除原有演示数据")
            if demo.demo_root() is not None:
                self.stdout.write(SKIPPED)
            else:
                started = time.monotonic()
                summary, extra_lines = demo.seed_all(seed=seed, today=today, members=members)
                # The first pages opened after seeding are planned with the demo's statistics.
                analyze()
                seconds = time.monotonic() - started
            password, generated = demo.ensure_demo_users(
                password=os.environ.get(PASSWORD_ENV) or None
            )
        if summary is not None:
            self.report(summary, seconds)
            for line in extra_lines:
                self.stdout.write(f"  {line}")
        self.stdout.write("")
        self.stdout.write(f"登录地址：{DEMO_URL}")
        self.stdout.write(f"演示用户（密码均为 {password}）：")
        branch = demo.ORG_BY_CODE[demo.DEMO_BRANCH_CODE].name
        scopes = {"root": demo.ORG_BY_CODE[demo.ROOT_CODE].name, "branch": branch, None: "—"}
        district = Organization.objects.filter(code=DISTRICT_CODE).first()
        scopes["district"] = district.name if district else ""
        united_front = Organization.objects.filter(code=demo.UNITED_FRONT_CODE, depth=1).first()
        scopes["united_front"] = united_front.name if united_front else ""
        for user in demo.DEMO_USERS:
            if not scopes[user.node]:
                continue
            roles = "、".join(Role(r).label for r in user.roles) or "超级用户"
            extra = "，可查看完整身份证号、手机号和电子邮箱" if user.reveal else ""
            self.stdout.write(
                f"  {user.username:<8} {user.name}（{roles}；管理范围：{scopes[user.node]}{extra}）"
            )
        if not settings.TONGXIN_FORCE_FIRST_PASSWORD_CHANGE:
            self.stdout.write(
                "演示设置：首次登录不要求修改密码（TONGXIN_FORCE_FIRST_PASSWORD_CHANGE=0）。"
            )
        if not settings.TONGXIN_ADMIN_OTP_REQUIRED:
            self.stdout.write(
                "演示设置：管理员登录不要求动态验证码（TONGXIN_ADMIN_OTP_REQUIRED=0）。"
            )
        if generated:
            self.stdout.write(
                f"密码为随机生成，每次运行都会更换；可用环境变量 {PASSWORD_ENV} 指定。"
            )

    def report(self, summary: demo.DemoSummary, seconds: float) -> None:
        reasons = {"died": "去世", "expelled": "开除", "removed": "除名", "transferred_out": "转出"}
        reasons["withdrew"] = "退出"
        exits = "、".join(f"{reasons.get(k, k)} {v}" for k, v in summary.exits.items())
        kinds = {"party": "会内职务", "government": "实职", "political": "政治安排"}
        posts = "、".join(f"{kinds.get(k, k)} {v}" for k, v in summary.posts.items())
        write = self.stdout.write
        write(self.style.SUCCESS(f"已生成演示数据（用时 {seconds:.1f} 秒）："))
        write(
            f"  组织 {summary.organizations} 个：现有支部 {summary.current_branches} 个，"
            f"已撤销支部 {summary.dissolved_branches} 个"
        )
        write(
            f"  人员 {summary.people} 名，现有盟员 {summary.current_members} 名"
            f"（女性 {summary.women_percent}%，离退休 {summary.retired_percent}%，"
            f"少数民族 {summary.minority_count} 名）"
        )
        write(
            f"  近五年入盟 {summary.admitted_recently} 名，支部间转接 {summary.transfers} 次；"
            f"减少：{exits}"
        )
        write(f"  职务与安排：{posts}")
