import signal

from django.core.management.base import BaseCommand

from tongxin.io import jobs


class Command(BaseCommand):
    help = "处理排队的名册导入（检查、写入与撤销）。--loop 持续运行，作为后台任务程序。"

    def add_arguments(self, parser):
        parser.add_argument("--loop", action="store_true", help="持续运行，每秒查看一次队列")
        parser.add_argument("--interval", type=float, default=1.0, help="队列为空时的等待秒数")

    def handle(self, *args, loop=False, interval=1.0, **options):
        if loop:
            # A service manager stops it with SIGTERM: leave as after Ctrl-C, the batch under way
            # rolled back (its transaction) and handed back by the next worker.
            signal.signal(signal.SIGTERM, signal.default_int_handler)
            self.stdout.write("导入任务程序已启动，按 Ctrl-C 停止")
            try:
                jobs.loop(interval=interval)
            except KeyboardInterrupt:
                pass
            return
        handled = jobs.run_pending()
        self.stdout.write(f"处理了 {handled} 个导入任务")
