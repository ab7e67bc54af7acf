"""Background jobs on the Data page: backtests, retrains, imports, clean-ups; states and results."""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    "jobs.title": {"en": "Retrain and backtest", "zh": "训练与回测"},
    "jobs.backtest": {"en": "Backtest", "zh": "回测"},
    "jobs.backtest_explain": {
        "en": "Replays the last 14 weeks: each week the model is trained only on what was "
        "known before it, and its lists are compared with the reps' own choices. Takes long "
        "(about 10 minutes on the demo); the Model page shows the latest run.",
        "zh": "回放最近 14 周:每周只用当周之前的数据训练模型,并将其名单与销售自己的选择比较。"
        "耗时较长(演示数据约 10 分钟);模型页面显示最近一次结果。",
    },
    "jobs.do_backtest": {"en": "Run the backtest", "zh": "运行回测"},
    "jobs.started": {
        "en": "Job {job} started. It runs on the server: you may leave this page, and every "
        "admin sees its progress here.",
        "zh": "任务 {job} 已开始,在服务器上运行:可以离开本页面,所有管理员都能在此看到进度。",
    },
    "jobs.busy": {
        "en": "A {kind} is already running (job {job}, started by {by}); one at a time.",
        "zh": "已有{kind}任务在运行(任务 {job},由 {by} 发起);同一时间只能运行一个。",
    },
    "jobs.running": {
        "en": "Job {job} ({action}), started by {by} at {at}, {minutes} min ago",
        "zh": "任务 {job}({action}),由 {by} 于 {at} 发起,已运行 {minutes} 分钟",
    },
    "jobs.cancel": {"en": "Cancel", "zh": "取消"},
    "jobs.cancelling": {
        "en": "{by} asked to cancel: it stops at its next step, and the serving model stays "
        "as it is.",
        "zh": "{by} 已请求取消:任务将在下一步停止,当前使用的模型保持不变。",
    },
    "jobs.recent": {"en": "Recent jobs", "zh": "最近的任务"},
    "jobs.none": {"en": "No jobs yet.", "zh": "暂无任务。"},
    "jobs.col.job": {"en": "Job", "zh": "任务"},
    "jobs.col.what": {"en": "What", "zh": "内容"},
    "jobs.col.status": {"en": "Status", "zh": "状态"},
    "jobs.col.by": {"en": "Started by", "zh": "发起人"},
    "jobs.col.started": {"en": "Started", "zh": "开始时间"},
    "jobs.col.minutes": {"en": "Minutes", "zh": "分钟"},
    "jobs.col.result": {"en": "Result", "zh": "结果"},
    "jobs.status.queued": {"en": "Starting", "zh": "正在启动"},
    "jobs.status.running": {"en": "Running", "zh": "运行中"},
    "jobs.status.succeeded": {"en": "Done", "zh": "已完成"},
    "jobs.status.failed": {"en": "Failed", "zh": "失败"},
    "jobs.status.cancelled": {"en": "Cancelled", "zh": "已取消"},
    "jobs.action.nightly": {"en": "Retrain and score today", "zh": "重新训练并生成今日名单"},
    "jobs.action.train": {"en": "Retrain", "zh": "重新训练"},
    "jobs.action.backtest": {"en": "Backtest", "zh": "回测"},
    "jobs.action.clean": {"en": "Clean up models", "zh": "清理模型文件"},
    "jobs.action.import": {"en": "Import", "zh": "导入"},
    "jobs.kind.retrain": {"en": "retrain", "zh": "重新训练"},
    "jobs.kind.backtest": {"en": "backtest", "zh": "回测"},
    "jobs.kind.import": {"en": "import", "zh": "导入"},
    "jobs.result.promoted": {
        "en": "Version {version} serves from now on",
        "zh": "新版本 {version} 已启用",
    },
    "jobs.result.not_promoted": {
        "en": "Version {version} was not better: the current model keeps serving",
        "zh": "新版本 {version} 未优于当前模型:继续使用当前模型",
    },
    "jobs.result.backtest": {
        "en": "Backtest run {run} ({weeks} weeks): see the Model page",
        "zh": "回测第 {run} 次({weeks} 周):见模型页面",
    },
    "jobs.result.cleaned": {
        "en": "Removed {folders} leftover folder(s), rejected {versions} unjudged version(s)",
        "zh": "删除残留文件夹 {folders} 个,拒绝未评估版本 {versions} 个",
    },
    "jobs.result.cancelled": {
        "en": "Cancelled by {by}; nothing it was doing was kept",
        "zh": "已由 {by} 取消;未保留任何中间结果",
    },
    "jobs.result.interrupted": {
        "en": "Interrupted; nothing it was doing was kept",
        "zh": "已中断;未保留任何中间结果",
    },
    "jobs.result.dead_process": {
        "en": "Its process ended without finishing (killed, out of memory, or a restart)",
        "zh": "任务进程意外终止(被终止、内存不足或服务器重启)",
    },
    "jobs.result.dead_silent": {
        "en": "No sign of life for over a minute: presumed dead",
        "zh": "超过一分钟没有响应:视为已终止",
    },
    # a running job's last step: jobs record it as a key and its parameters (i18n/steps.py)
    "jobs.step.reading": {"en": "reading history before {day}", "zh": "正在读取 {day} 之前的历史"},
    "jobs.step.saving": {"en": "saving the new version", "zh": "正在保存新版本"},
    "jobs.step.scoring": {"en": "scoring {day}", "zh": "正在为 {day} 评分"},
    "jobs.step.done": {"en": "done", "zh": "完成"},
    "jobs.step.effect": {
        "en": "fitting the call effect and choosing the ranking",
        "zh": "正在拟合回访效果并选择排序方式",
    },
    "jobs.step.peers": {
        "en": "fitting the peers on the same samples",
        "zh": "正在用相同样本训练对比模型",
    },
    "jobs.step.peer": {
        "en": "fitting the peer {peer} on the same samples",
        "zh": "正在用相同样本训练对比模型 {peer}",
    },
    "jobs.step.calibrating": {
        "en": "calibrating and measuring {method}",
        "zh": "正在校准并评估 {method}",
    },
    "jobs.step.preparing": {
        "en": "building the training samples and validation weeks",
        "zh": "正在构建训练样本和验证周",
    },
    "jobs.step.training": {
        "en": "training {variant} (seed {seed}) on history before {cutoff}",
        "zh": "正在用 {cutoff} 之前的历史训练 {variant}(种子 {seed})",
    },
    "jobs.step.anchors": {
        "en": "{anchors:,} training anchors; validation on {selection:,} and {report:,} "
        "customer-weeks",
        "zh": "{anchors:,} 个训练样本;验证用 {selection:,} 和 {report:,} 个客户周",
    },
    "jobs.step.epoch": {
        "en": "seed {seed} epoch {epoch}: list precision {precision:.1%}, AUC {auc:.4f}",
        "zh": "种子 {seed} 第 {epoch} 轮:名单准确率 {precision:.1%},AUC {auc:.4f}",
    },
    "jobs.step.epoch_best": {
        "en": "seed {seed} epoch {epoch}: list precision {precision:.1%}, AUC {auc:.4f} (best)",
        "zh": "种子 {seed} 第 {epoch} 轮:名单准确率 {precision:.1%},AUC {auc:.4f}(最佳)",
    },
    "jobs.step.batch": {
        "en": "seed {seed} epoch {epoch}: batch {batch} of {batches}",
        "zh": "种子 {seed} 第 {epoch} 轮:第 {batch}/{batches} 批",
    },
    "jobs.step.measuring": {
        "en": "seed {seed} epoch {epoch}: measuring on the validation weeks",
        "zh": "种子 {seed} 第 {epoch} 轮:正在用验证周评估",
    },
    "jobs.step.week": {
        "en": "week of {day}: {method} precision {precision:.1%} vs reps' success {reps:.1%}",
        "zh": "{day} 当周:{method} 准确率 {precision:.1%},销售自身成功率 {reps:.1%}",
    },
    "jobs.step.spend": {
        "en": "fitting the spend model on history before {cutoff}",
        "zh": "正在用 {cutoff} 之前的历史拟合消费模型",
    },
    "jobs.step.score_week": {
        "en": "scoring the week of {day}",
        "zh": "正在为 {day} 当周评分",
    },
    "jobs.step.churn_week": {
        "en": "churn flags of the week of {day}",
        "zh": "正在计算 {day} 当周的流失标记",
    },
    "jobs.step.serving_alone": {
        "en": "network list precision {network:.1%} (no peers fitted)",
        "zh": "网络名单准确率 {network:.1%}(未训练对比模型)",
    },
    "jobs.step.serving_peer": {
        "en": "the peer {peer} serves: its list precision {best:.1%} beats the network's "
        "{network:.1%} on the latest weeks (by more than the {margin:.1%} the comparison can "
        "resolve)",
        "zh": "对比模型 {peer} 启用:最近几周其名单准确率 {best:.1%} 高于网络的 {network:.1%}"
        "(差距超过比较可分辨的 {margin:.1%})",
    },
    "jobs.step.serving_network": {
        "en": "the network serves: list precision {network:.1%} vs the best peer ({peer}) "
        "{best:.1%} on the latest weeks",
        "zh": "网络模型启用:最近几周名单准确率 {network:.1%},最佳对比模型({peer}){best:.1%}",
    },
    "jobs.step.first_promoted": {
        "en": "first model ({method} serves), list precision {candidate:.1%} vs base rate "
        "{base:.1%}",
        "zh": "首个模型({method} 启用),名单准确率 {candidate:.1%},基准比例 {base:.1%}",
    },
    "jobs.step.first_refused": {
        "en": "list precision {candidate:.1%} is no better than the base rate {base:.1%}",
        "zh": "名单准确率 {candidate:.1%} 不高于基准比例 {base:.1%}",
    },
    "jobs.step.serving_broken": {
        "en": "the serving version {current} no longer loads ({error})",
        "zh": "当前使用的版本 {current} 无法加载({error})",
    },
    "jobs.step.compared": {
        "en": "list precision {candidate:.1%} ({method}) vs serving {current} {serving:.1%} "
        "({serving_method}) on the same weeks",
        "zh": "名单准确率 {candidate:.1%}({method}),当前版本 {current} 为 {serving:.1%}"
        "({serving_method}),同一批周",
    },
    "jobs.step.cleaned": {
        "en": "cleaned up: {partial} half-written folder(s), {orphans} unreferenced folder(s), "
        "{candidates} unjudged version(s) a killed run left, marked rejected ({versions})",
        "zh": "已清理:未写完的文件夹 {partial} 个,无版本引用的文件夹 {orphans} 个,"
        "被中断的运行留下的未评估版本 {candidates} 个,已标记为拒绝({versions})",
    },
}
