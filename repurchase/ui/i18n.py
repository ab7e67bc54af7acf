"""Every label, message and chart title in 中文 and English.

`CATALOGUE` holds messages by key (an English entry may add a singular form); `VALUES` the
display names of stored codes (customer type, method, result...). A test checks both languages
have every key with the same placeholders.
"""

from __future__ import annotations

import re

LANGUAGES = ("zh", "en")
LANGUAGE_NAMES = {"zh": "中文", "en": "English"}
DEFAULT_LANGUAGE = "zh"  # the users are Chinese sales teams (spec section 5)

CATALOGUE: dict[str, dict[str, str]] = {
    # ------------------------------------------------------------------ navigation, roles
    "nav.call_list": {"en": "Today's call list", "zh": "今日回访名单"},
    "nav.log_visit": {"en": "Log a visit", "zh": "记录回访"},
    "nav.customer": {"en": "Customer", "zh": "客户详情"},
    "nav.cohorts": {"en": "Does the list work?", "zh": "名单效果"},
    "nav.model": {"en": "Model", "zh": "模型"},
    "nav.data": {"en": "Data", "zh": "数据管理"},
    "nav.signed_in": {"en": "Signed in as {name} ({role})", "zh": "已登录:{name}({role})"},
    "nav.sign_out": {"en": "Sign out", "zh": "退出登录"},
    "role.rep": {"en": "sales rep", "zh": "销售代表"},
    "role.manager": {"en": "manager", "zh": "经理"},
    "role.admin": {"en": "admin", "zh": "管理员"},
    "setup.first_start": {
        "en": "First start: preparing the demo (about a minute and a half)...",
        "zh": "首次启动:正在准备演示数据(约一分半钟)……",
    },
    "setup.scoring_today": {
        "en": "Writing today's call lists...",
        "zh": "正在生成今日回访名单……",
    },
    # ------------------------------------------------------------------ sign-in
    "login.title": {"en": "Sign in", "zh": "登录"},
    "login.username": {"en": "Username", "zh": "用户名"},
    "login.password": {"en": "Password", "zh": "密码"},
    "login.role": {"en": "Role", "zh": "角色"},
    "login.submit": {"en": "Sign in", "zh": "登录"},
    "login.wrong": {"en": "Wrong username or password.", "zh": "用户名或密码错误。"},
    "login.locked": {
        "en": "Too many wrong passwords: this account is locked for {minutes} minutes.",
        "zh": "密码错误次数过多:该账号已锁定 {minutes} 分钟。",
    },
    "login.demo_accounts": {
        "en": "Demo accounts (this is a demo warehouse); the password of each is {password}",
        "zh": "演示账号(当前为演示数据);每个账号的密码均为 {password}",
    },
    # ------------------------------------------------------------------ errors
    "access.denied": {
        "en": "You cannot see this: it is not among your customers or your team.",
        "zh": "您无权查看:不属于您的客户或团队。",
    },
    "access.page_denied": {
        "en": "This page is not available for your role.",
        "zh": "您的角色无权访问此页面。",
    },
    "error.no_model": {
        "en": "No model is serving yet. An admin can train one on the Data page.",
        "zh": "尚无可用模型。管理员可在“数据管理”页面训练模型。",
    },
    "error.locked": {
        "en": "The data is busy with an import or a retrain. Please try again in a moment.",
        "zh": "数据正在导入或训练中,请稍后再试。",
    },
    # ------------------------------------------------------------------ common
    "common.all": {"en": "All", "zh": "全部"},
    "common.date": {"en": "Date", "zh": "日期"},
    "common.week": {"en": "Week", "zh": "周"},
    "common.when": {"en": "When", "zh": "时间"},
    "common.rep": {"en": "Rep", "zh": "销售代表"},
    "common.name": {"en": "Name", "zh": "姓名"},
    "common.download_csv": {"en": "Download CSV", "zh": "下载 CSV"},
    # ------------------------------------------------------------------ call list
    "list.day": {"en": "Day", "zh": "日期"},
    "list.rep": {"en": "Rep", "zh": "销售代表"},
    "list.empty": {
        "en": "No list for this day: the model scores from the morning of the first day with data.",
        "zh": "该日期没有名单:模型从有数据的第一天早上开始评分。",
    },
    "list.caption": {
        "en": "{n} customers most likely to order within 4 weeks (model {version})",
        "zh": "未来 4 周内最可能下单的 {n} 位客户(模型 {version})",
    },
    "list.last_visit": {
        "en": "Last call {days} days ago: {result}",
        "en_one": "Last call yesterday: {result}",
        "one_if": "days",
        "zh": "{days} 天前回访:{result}",
    },
    "list.never_visited": {"en": "Never called", "zh": "从未回访"},
    "list.orders_so_far": {
        "en": "{n} orders so far",
        "en_one": "1 order so far",
        "one_if": "n",
        "zh": "累计下单 {n} 次",
    },
    "list.probability": {"en": "Chance of an order", "zh": "下单概率"},
    "list.little_history": {"en": "Little history: rough score", "zh": "历史较少:评分仅供参考"},
    "list.visited_today": {"en": "Visited today", "zh": "今日已回访"},
    "list.log": {"en": "Log visit", "zh": "记录回访"},
    "list.history": {"en": "History", "zh": "历史"},
    # ------------------------------------------------------------------ log a visit
    "log.customer": {"en": "Customer", "zh": "客户"},
    "log.when": {"en": "Date and time", "zh": "日期时间"},
    "log.method": {"en": "Method", "zh": "回访方式"},
    "log.target": {"en": "Target segment", "zh": "回访对象"},
    "log.purpose": {"en": "Purpose", "zh": "回访目的"},
    "log.result": {"en": "Result", "zh": "回访结果"},
    "log.amount": {"en": "Order amount (optional)", "zh": "订单金额(选填)"},
    "log.note": {"en": "Note", "zh": "备注"},
    "log.save": {"en": "Save visit", "zh": "保存回访"},
    "log.saved": {"en": "Saved the visit to {customer}.", "zh": "已保存对 {customer} 的回访。"},
    "log.recent": {"en": "Latest visits to {customer}", "zh": "{customer} 的最近回访"},
    "log.today": {"en": "Your entries today", "zh": "您今天的记录"},
    "log.today_none": {"en": "Nothing logged today yet.", "zh": "今天还没有记录。"},
    "log.edit_save": {"en": "Save changes", "zh": "保存修改"},
    "log.delete": {"en": "Delete this entry", "zh": "删除此记录"},
    "log.no_customers": {"en": "No customers to show.", "zh": "没有可显示的客户。"},
    "log.field.customer_id": {"en": "Customer", "zh": "客户"},
    "log.field.visited_at": {"en": "Date and time", "zh": "日期时间"},
    "log.field.method": {"en": "Method", "zh": "回访方式"},
    "log.field.target": {"en": "Target segment", "zh": "回访对象"},
    "log.field.purpose": {"en": "Purpose", "zh": "回访目的"},
    "log.field.result": {"en": "Result", "zh": "回访结果"},
    "log.field.note": {"en": "Note", "zh": "备注"},
    "log.field.order_amount": {"en": "Order amount", "zh": "订单金额"},
    "visit.error.customer": {"en": "choose a customer", "zh": "请选择客户"},
    "visit.error.when_missing": {"en": "give the date and time", "zh": "请填写日期时间"},
    "visit.error.future": {"en": "cannot be in the future", "zh": "不能是将来的时间"},
    "visit.error.too_old": {
        "en": "more than {days} days ago; ask an admin to import it",
        "zh": "已超过 {days} 天,请联系管理员导入",
    },
    "visit.error.required": {"en": "a value is required", "zh": "必填"},
    "visit.error.result": {"en": "choose a result", "zh": "请选择结果"},
    "visit.error.note_long": {"en": "at most {max} characters", "zh": "最多 {max} 个字符"},
    "visit.error.amount_negative": {"en": "cannot be negative", "zh": "不能为负数"},
    "visit.error.amount_without_order": {
        "en": "only a visit that got an order has an amount",
        "zh": "只有成功拿到订单的回访才有金额",
    },
    "visit.error.control": {
        "en": "contains a control character (such as NUL) that cannot be stored",
        "zh": "包含无法保存的控制字符(如 NUL)",
    },
    "visit.error.amount_not_number": {"en": "must be a number", "zh": "必须是数字"},
    "visit.error.amount_too_large": {
        "en": "at most {max:,.2f}",
        "zh": "最多 {max:,.2f}",
    },
    "log.queued": {
        "en": "Saved the visit to {customer} on this server. The warehouse is busy with a job "
        "right now; the visit is written to it automatically as soon as the job ends. "
        "Nothing to do, and no need to save it again.",
        "zh": "已在服务器上保存对 {customer} 的回访。数据仓库正被后台任务占用,任务结束后会自动写入,"
        "无需任何操作,也不要重复保存。",
    },
    "log.pending": {
        "en": "Waiting to be written (the warehouse is busy): {count} visit(s)",
        "zh": "等待写入(数据仓库繁忙):{count} 条回访",
    },
    "log.queue_failed": {
        "en": "{count} visit(s) saved while the warehouse was busy could not be stored: {reasons}. "
        "Please log them again.",
        "zh": "有 {count} 条在仓库繁忙时保存的回访无法写入:{reasons}。请重新记录。",
    },
    # ------------------------------------------------------------------ customer
    "customer.pick": {"en": "Customer", "zh": "客户"},
    "customer.owner": {"en": "Owner rep", "zh": "负责销售"},
    "customer.visits": {"en": "Visits", "zh": "回访次数"},
    "customer.successful": {"en": "Visits with an order", "zh": "成功拿到订单"},
    "customer.orders": {"en": "Orders", "zh": "订单数"},
    "customer.order": {"en": "Order", "zh": "订单"},
    "customer.score": {"en": "Chance of an order", "zh": "下单概率"},
    "customer.visits_named": {"en": "Visits: {result}", "zh": "回访:{result}"},
    "customer.timeline_title": {
        "en": "Visits, orders and score over time",
        "zh": "回访、订单与评分时间线",
    },
    "customer.latest_score": {
        "en": "Latest score: {p} chance of an order (scored {day})",
        "zh": "最新评分:下单概率 {p}(评分日 {day})",
    },
    "customer.visit_table": {"en": "All visits", "zh": "全部回访记录"},
    "customer.entered_by": {"en": "Entered by", "zh": "录入人"},
    # ------------------------------------------------------------------ cohorts
    "cohorts.guardrail": {
        "en": "These figures measure how well the list works for each group of reps, not how "
        "good any person is. Only totals are shown; small groups are greyed out.",
        "zh": "这些数字衡量的是名单对各类销售群体的效果,而不是评价任何个人。仅显示汇总数据;"
        "样本过少的分组以灰色显示。",
    },
    "cohorts.no_lists": {"en": "No call lists yet.", "zh": "还没有回访名单。"},
    "cohorts.period": {"en": "Period", "zh": "时间段"},
    "cohorts.team": {"en": "Team", "zh": "团队"},
    "cohorts.level": {"en": "Level", "zh": "级别"},
    "cohorts.cohort": {"en": "Group", "zh": "分组"},
    "cohorts.reps": {"en": "Reps", "zh": "销售人数"},
    "cohorts.visits": {"en": "Visits", "zh": "回访数"},
    "cohorts.on_list": {"en": "On-list success", "zh": "名单内成功率"},
    "cohorts.off_list": {"en": "Off-list success", "zh": "名单外成功率"},
    "cohorts.on_visits": {"en": "On-list visits", "zh": "名单内回访数"},
    "cohorts.off_visits": {"en": "Off-list visits", "zh": "名单外回访数"},
    "cohorts.lift": {"en": "Relative lift", "zh": "相对提升"},
    "cohorts.p_value": {"en": "p (difference)", "zh": "p 值(差异)"},
    "cohorts.success_rate": {"en": "Visit success rate", "zh": "回访成功率"},
    "cohorts.chart_title": {
        "en": "Visit success on-list vs off-list (95 % intervals)",
        "zh": "名单内与名单外回访成功率(95% 区间)",
    },
    "cohorts.small_note": {
        "en": "Grey: fewer than {n} visits on one side, too few to compare.",
        "zh": "灰色:某一侧回访少于 {n} 次,样本过少,不宜比较。",
    },
    "cohorts.trend": {"en": "Week by week", "zh": "按周趋势"},
    "cohorts.trend_title": {"en": "Success rate per week", "zh": "每周成功率"},
    "cohorts.per_rep": {"en": "Adoption per rep", "zh": "各销售的名单采纳率"},
    "cohorts.adoption": {"en": "Share of visits on the list", "zh": "名单内回访占比"},
    "cohorts.holdout": {
        "en": "Randomised hold-out: the list's causal effect",
        "zh": "随机对照组:名单的因果效果",
    },
    "cohorts.holdout_none": {"en": "No hold-out in this period.", "zh": "该时间段没有对照组。"},
    "cohorts.holdout_listed": {"en": "Ordered within a week: listed", "zh": "一周内下单:名单内"},
    "cohorts.holdout_control": {
        "en": "Ordered within a week: held out",
        "zh": "一周内下单:对照组",
    },
    "cohorts.holdout_effect": {"en": "Effect of listing", "zh": "列入名单的效果"},
    "cohorts.holdout_n": {
        "en": "{n} customers",
        "en_one": "1 customer",
        "one_if": "n",
        "zh": "{n} 位客户",
    },
    "cohorts.holdout_verdict.helps": {
        "en": "The list works: customers on it ordered more often than the held-out ones, by "
        "{effect} percentage points (95 % interval {low} to {high}, p = {p}).",
        "zh": "名单有效:名单内客户的下单比例比对照组高 {effect} 个百分点"
        "(95% 区间 {low} 至 {high},p = {p})。",
    },
    "cohorts.holdout_verdict.unclear": {
        "en": "Not clear yet: the difference is {effect} percentage points, but its 95 % "
        "interval runs from {low} to {high} (p = {p}), so no effect at all fits the data as "
        "well. More weeks of lists will tell.",
        "zh": "尚无定论:差异为 {effect} 个百分点,但 95% 区间为 {low} 至 {high}(p = {p}),"
        "完全无效果同样符合数据。需要更多周的名单数据。",
    },
    "cohorts.holdout_verdict.hurts": {
        "en": "Customers on the list ordered less often than the held-out ones, by {effect} "
        "percentage points (95 % interval {low} to {high}, p = {p}). Check the model and how "
        "the list is used.",
        "zh": "名单内客户的下单比例反而比对照组低 {effect} 个百分点"
        "(95% 区间 {low} 至 {high},p = {p})。"
        "请检查模型及名单的使用方式。",
    },
    "cohorts.holdout_ci": {
        "en": "95 % interval {low} to {high} points, p = {p}",
        "zh": "95% 区间 {low} 至 {high} 个百分点,p = {p}",
    },
    "cohorts.on_list_ci": {"en": "On-list success (95 % CI)", "zh": "名单内成功率(95% 区间)"},
    "cohorts.off_list_ci": {"en": "Off-list success (95 % CI)", "zh": "名单外成功率(95% 区间)"},
    "cohorts.points": {"en": "{value} pts", "zh": "{value} 个百分点"},
    "cohorts.holdout_explain": {
        "en": "A random tenth of each rep's customers is kept off the lists as a control group. "
        "Among customers the model ranked high enough to list, this compares the share that "
        "ordered within {days} days of being listed with the share that ordered within "
        "{days} days of when they would have been listed.",
        "zh": "每位销售的客户中随机抽取十分之一作为对照组,不进入名单。"
        "在模型评分足以进入名单的客户中,"
        "比较列入名单后 {days} 天内下单的比例,与对照组在本应列入名单后 {days} 天内下单的比例。",
    },
    "cohort.overall": {"en": "All", "zh": "总计"},
    "cohort.tenure": {"en": "Tenure", "zh": "入职年数"},
    "cohort.age": {"en": "Age", "zh": "年龄段"},
    "cohort.gender": {"en": "Gender", "zh": "性别"},
    # ------------------------------------------------------------------ model
    "model.serving": {"en": "Serving version", "zh": "当前模型版本"},
    "model.trained_until": {"en": "History up to", "zh": "训练数据截至"},
    "model.valid_auc": {"en": "Validation AUC", "zh": "验证集 AUC"},
    "model.valid_precision": {"en": "Top-15 precision", "zh": "前 15 名准确率"},
    "model.architecture": {"en": "{name}, trained {when}", "zh": "{name},训练于 {when}"},
    "model.backtest": {
        "en": "Rolling weekly backtest (paper Table 1)",
        "zh": "滚动周回测(论文表 1)",
    },
    "model.no_backtest": {
        "en": "No backtest yet: run `python -m repurchase backtest`.",
        "zh": "尚无回测结果:请运行 `python -m repurchase backtest`。",
    },
    "model.curves_title": {
        "en": "Weekly success: the list vs the reps' own choices (paper Figure 6)",
        "zh": "每周成功率:算法名单与销售自主回访对比(论文图 6)",
    },
    "model.variant": {"en": "Model ({name})", "zh": "模型({name})"},
    "model.reps_success": {"en": "Reps' own success rate", "zh": "销售自主回访成功率"},
    "model.base_rate": {"en": "Base rate of visited customers", "zh": "被回访客户的基础下单率"},
    "model.precision": {"en": "Precision", "zh": "准确率"},
    "model.methods_title": {"en": "Every method on the same weeks", "zh": "同期各方法对比"},
    "model.method": {"en": "Method", "zh": "方法"},
    "model.sd": {"en": "SD", "zh": "标准差"},
    "model.lift_vs_reps": {"en": "Lift vs reps", "zh": "相对销售提升"},
    "model.lift_min": {"en": "Lowest week", "zh": "最低周"},
    "model.lift_max": {"en": "Highest week", "zh": "最高周"},
    "model.lift_vs_base": {"en": "Lift vs base rate", "zh": "相对基础率提升"},
    "model.weeks": {"en": "Weeks", "zh": "周数"},
    "model.backtest_explain": {
        "en": "Each week every method ranks each rep's visited customers and lists the top 15; "
        "precision is the share that ordered within 4 weeks. The paper compares this with "
        "the reps' visit success that week; the base rate is the fairer comparison.",
        "zh": "每周各方法对每位销售当周回访的客户排序并取前 15 名;准确率为其中 4 周内下单的比例。"
        "论文将其与当周销售的回访成功率比较;基础下单率是更公平的参照。",
    },
    "model.versions": {"en": "Model versions (paper Table 2)", "zh": "模型版本对比(论文表 2)"},
    "model.versions_title": {
        "en": "Success of listed customers visited within 7 days",
        "zh": "名单内且 7 天内回访客户的成功率",
    },
    "model.calibration": {"en": "Calibration", "zh": "概率校准"},
    "model.calibration_title": {
        "en": "Predicted vs observed (latest backtest)",
        "zh": "预测概率与实际比例(最近回测)",
    },
    "model.calibration_explain": {
        "en": "A calibrated model's 30 % means 3 in 10 such customers order. Raw network outputs "
        "are shown beside the calibrated probabilities the list displays.",
        "zh": "校准后的 30% 表示同类客户中每 10 位约有 3 位下单。"
        "图中同时显示网络原始输出与名单显示的校准概率。",
    },
    "model.perfect": {"en": "Perfect calibration", "zh": "完美校准"},
    "model.predicted": {"en": "Predicted", "zh": "预测概率"},
    "model.observed": {"en": "Observed", "zh": "实际比例"},
    "model.all_versions": {"en": "All versions", "zh": "全部版本"},
    "model.status": {"en": "Status", "zh": "状态"},
    "model.status.serving": {"en": "serving", "zh": "使用中"},
    "model.status.candidate": {"en": "candidate", "zh": "候选"},
    "model.status.retired": {"en": "retired", "zh": "已停用"},
    "model.status.rejected": {"en": "not promoted", "zh": "未采用"},
    "model.created": {"en": "Trained at", "zh": "训练时间"},
    "model.history_from": {"en": "History from", "zh": "训练数据起始"},
    "model.promoted": {"en": "Serving since", "zh": "启用时间"},
    "model.network": {"en": "Network", "zh": "网络结构"},
    "model.gate": {"en": "Who makes the lists", "zh": "名单由谁生成"},
    "model.serves_network": {
        "en": "The CNN-LSTM network makes the lists: on the latest validation weeks no simple "
        "method made lists better by more than the comparison can tell apart (± {margin}): "
        "{precision} for the network, {peer_precision} for the best of them, {peer}.",
        "zh": "名单由 CNN-LSTM 网络生成:在最近的验证周里,没有任何简单方法的名单好到超出"
        "对比的测量误差(± {margin}):网络 {precision},最好的简单方法「{peer}」{peer_precision}。",
    },
    "model.serves_peer": {
        "en": "A simple method, {peer}, makes the lists: on the latest validation weeks its "
        "lists were better than the network's by more than the measurement's noise "
        "({peer_precision} vs {precision}). The network is kept for comparison and serves "
        "again when a retrain makes lists as good.",
        "zh": "名单由简单方法「{peer}」生成:在最近的验证周里,它的名单明显优于网络"
        "(超出测量误差;{peer_precision} 对 {precision})。网络模型仍保留用于对比,"
        "重新训练后若不差于它即恢复使用。",
    },
    "model.gate_explain": {
        "en": "List precision: the share of each rep's list (top 15 and top 10 % of the book, "
        "averaged) that ordered within the horizon, on validation weeks no training step saw.",
        "zh": "名单准确率:每位销售名单(前 15 名与客户总数前 10% 的平均)中在预测期内下单的比例,"
        "在训练未使用的验证周上计算。",
    },
    "model.list_precision": {"en": "List precision", "zh": "名单准确率"},
    "model.top15": {"en": "Top 15", "zh": "前 15 名"},
    "model.top10pct": {"en": "Top 10 %", "zh": "前 10%"},
    "method.network": {"en": "CNN-LSTM network", "zh": "CNN-LSTM 网络"},
    "method.gbm": {"en": "gradient boosting", "zh": "梯度提升树"},
    "method.logistic": {"en": "logistic regression", "zh": "逻辑回归"},
    "method.bg/nbd": {"en": "BG/NBD", "zh": "BG/NBD 模型"},
    "method.recency-frequency": {"en": "recency-frequency", "zh": "近度-频度规则"},
    "model.version": {"en": "Version", "zh": "版本"},
    "model.listed": {"en": "Listed", "zh": "名单客户数"},
    "model.visited_7d": {"en": "Visited within 7 days", "zh": "7 天内回访数"},
    "model.succeeded": {"en": "Succeeded", "zh": "成功数"},
    "model.ci_low": {"en": "95 % CI low", "zh": "95% 区间下限"},
    "model.ci_high": {"en": "95 % CI high", "zh": "95% 区间上限"},
    # ------------------------------------------------------------------ data
    "data.import": {"en": "Import ERP exports", "zh": "导入 ERP 数据"},
    "data.contract": {
        "en": "CSV (UTF-8) or Parquet files named reps*, customers*, visits*, orders*, with the "
        "import contract's columns. Nothing is written until every row passes.",
        "zh": "CSV(UTF-8)或 Parquet 文件,文件名以 reps、customers、visits、orders 开头,"
        "列名符合导入规范。所有行通过校验后才会写入。",
    },
    "data.files": {"en": "Files", "zh": "文件"},
    "data.unreadable": {
        "en": "{n} problem(s) reading the files:",
        "zh": "读取文件时发现 {n} 个问题:",
    },
    "data.ok": {"en": "All rows pass ({rows}).", "zh": "全部通过校验({rows})。"},
    "data.problems": {
        "en": "{n} problem(s); nothing will be written until they are fixed:",
        "zh": "发现 {n} 个问题;修正前不会写入任何数据:",
    },
    "data.do_import": {"en": "Import", "zh": "导入"},
    "data.retrain": {"en": "Retrain the model", "zh": "重新训练模型"},
    "data.retrain_explain": {
        "en": "Trains on all history (a few minutes), then writes today's lists if there are "
        "none yet. The current model keeps serving until the new one is at least as good on "
        "the same validation weeks.",
        "zh": "使用全部历史数据训练(需几分钟),若今日尚无名单则随后生成。新模型在相同验证周上"
        "不差于当前模型时才会替换,期间当前模型继续使用。",
    },
    "data.do_retrain": {"en": "Retrain now", "zh": "立即训练"},
    # ------------------------------------------------------------------ reasons (explain.py)
    "reason.due": {
        "en": "Usually orders every {every} days; last order {since} days ago: due about now",
        "zh": "通常每 {every} 天下单一次,距上次下单已 {since} 天:差不多该再下单了",
    },
    "reason.overdue": {
        "en": "Usually orders every {every} days but has not for {since} days: overdue",
        "zh": "通常每 {every} 天下单一次,已 {since} 天未下单:已超期",
    },
    "reason.frequent": {
        "en": "{orders} orders in the last 12 months",
        "zh": "过去 12 个月下单 {orders} 次",
    },
    "reason.recent_order": {
        "en": "Ordered {since} days ago",
        "en_one": "Ordered yesterday",
        "one_if": "since",
        "zh": "{since} 天前刚下过单",
    },
    "reason.not_contacted": {
        "en": "Nobody has called for {days} days",
        "zh": "已 {days} 天无人回访",
    },
    "reason.never_contacted": {"en": "Never called so far", "zh": "还从未回访过"},
    "reason.last_visit_order": {
        "en": "Last call {days} days ago ended in an order",
        "en_one": "Yesterday's call ended in an order",
        "one_if": "days",
        "zh": "{days} 天前的回访成功拿到订单",
    },
    # "no order", not "no demand": the model's inputs know only order / no order, and a call
    # nobody answered (not_reached) is a call without an order too; the card says which it was
    "reason.last_visit_no_order": {
        "en": "Last call {days} days ago: no order then",
        "en_one": "Called yesterday: no order then",
        "one_if": "days",
        "zh": "{days} 天前回访未成单",
    },
    "reason.no_demand_recent": {
        "en": "Last call {days} days ago brought no order, yet {rate} % of customers whose call "
        "in the last week brought none ordered within 4 weeks",
        "en_one": "Yesterday's call brought no order, yet {rate} % of customers whose call in "
        "the last week brought none ordered within 4 weeks",
        "one_if": "days",
        "zh": "{days} 天前回访未成单,但近一周回访未成单的客户中仍有 {rate}% 在 4 周内下单",
    },
    "reason.key_account": {"en": "Key account", "zh": "重点客户"},
    "reason.little_history": {
        "en": "Little history ({events} events): this score is rough",
        "en_one": "Little history (1 event): this score is rough",
        "one_if": "events",
        "zh": "历史记录较少({events} 条),评分仅供参考",
    },
    "reason.never_ordered": {"en": "Has not ordered yet", "zh": "尚未下过单"},
    # ---- auth, sessions and user administration (issue 10)
    "nav.users": {"en": "Users", "zh": "用户管理"},
    "login.throttled": {
        "en": "Too many failed sign-ins for this name from your network. "
        "Wait {seconds} seconds, then try again.",
        "en_one": "Too many failed sign-ins for this name from your network. "
        "Wait a second, then try again.",
        "one_if": "seconds",
        "zh": "该用户名在您的网络中登录失败次数过多,请等待 {seconds} 秒后再试。",
    },
    "login.disabled": {
        "en": "This account is disabled. Ask an admin to enable it.",
        "zh": "该账号已被停用,请联系管理员启用。",
    },
    "login.busy": {
        "en": "The data is busy with a job (an import or a retrain), so signing in has to "
        "wait. Please try again in a minute.",
        "zh": "数据正在执行任务(导入或训练),暂时无法登录。请一分钟后再试。",
    },
    "users.list": {"en": "Who can sign in", "zh": "可登录的用户"},
    "users.col.username": {"en": "Username", "zh": "用户名"},
    "users.col.name": {"en": "Name", "zh": "姓名"},
    "users.col.role": {"en": "Role", "zh": "角色"},
    "users.col.scope": {"en": "Sees", "zh": "可见范围"},
    "users.col.status": {"en": "Status", "zh": "状态"},
    "users.col.last_login": {"en": "Last sign-in", "zh": "最近登录"},
    "users.col.sessions": {"en": "Signed-in browsers", "zh": "已登录的浏览器"},
    "users.scope.rep": {"en": "rep {rep_id}", "zh": "销售代表 {rep_id}"},
    "users.scope.team": {"en": "team {team}", "zh": "团队 {team}"},
    "users.scope.all": {"en": "everything", "zh": "全部"},
    "users.status.active": {"en": "active", "zh": "正常"},
    "users.status.disabled": {"en": "disabled", "zh": "已停用"},
    "users.status.demo": {"en": "demo account", "zh": "演示账号"},
    "users.add": {"en": "Add a user", "zh": "添加用户"},
    "users.manage": {"en": "Change a user", "zh": "修改用户"},
    "users.pick": {"en": "User", "zh": "用户"},
    "users.field.username": {"en": "Username", "zh": "用户名"},
    "users.field.name": {"en": "Name shown in the app", "zh": "显示名称"},
    "users.field.role": {"en": "Role", "zh": "角色"},
    "users.field.rep_id": {"en": "Rep id (for a sales rep)", "zh": "销售代表编号(销售代表填写)"},
    "users.field.team": {"en": "Team (for a manager)", "zh": "团队(经理填写)"},
    "users.field.password": {"en": "Password", "zh": "密码"},
    "users.field.password_again": {"en": "Password again", "zh": "再次输入密码"},
    "users.rules": {
        "en": "A password needs at least {min} characters, must not contain the username, "
        "must not be the demo password, and must not be easy to guess: common passwords, "
        "words, names and keyboard patterns are refused. Three or four unrelated words work.",
        "zh": "密码至少 {min} 个字符,不能包含用户名,不能是演示密码,也不能容易被猜到:"
        "常见密码、单词、姓名和键盘规律都会被拒绝。可以用三四个互不相关的词。",
    },
    "users.do_add": {"en": "Add user", "zh": "添加用户"},
    "users.added": {"en": "{name} can sign in now.", "zh": "{name} 现在可以登录了。"},
    "users.set_password": {"en": "Set a new password", "zh": "设置新密码"},
    "users.do_set_password": {"en": "Set password", "zh": "设置密码"},
    "users.password_set": {
        "en": "New password set for {name}; {n} signed-in browsers were signed out.",
        "en_one": "New password set for {name}; 1 signed-in browser was signed out.",
        "one_if": "n",
        "zh": "已为 {name} 设置新密码;{n} 个已登录的浏览器已退出登录。",
    },
    "users.set_role": {"en": "Change the role", "zh": "修改角色"},
    "users.do_set_role": {"en": "Change role", "zh": "修改角色"},
    "users.role_set": {
        "en": "{name} is now {role}; {n} signed-in browsers were signed out.",
        "en_one": "{name} is now {role}; 1 signed-in browser was signed out.",
        "one_if": "n",
        "zh": "{name} 的角色已改为{role};{n} 个已登录的浏览器已退出登录。",
    },
    "users.access": {"en": "Access", "zh": "账号权限"},
    "users.do_disable": {"en": "Disable", "zh": "停用"},
    "users.do_enable": {"en": "Enable", "zh": "启用"},
    "users.do_sign_out": {"en": "Sign out everywhere", "zh": "在所有设备上退出登录"},
    "users.do_remove": {"en": "Remove", "zh": "删除"},
    "users.confirm_remove": {
        "en": "Yes, remove {name} (visits they entered stay)",
        "zh": "确认删除 {name}(其录入的回访记录会保留)",
    },
    "users.disabled": {
        "en": "{name} is disabled; {n} signed-in browsers were signed out.",
        "en_one": "{name} is disabled; 1 signed-in browser was signed out.",
        "one_if": "n",
        "zh": "{name} 已停用;{n} 个已登录的浏览器已退出登录。",
    },
    "users.enabled": {"en": "{name} can sign in again.", "zh": "{name} 可以重新登录了。"},
    "users.signed_out": {
        "en": "{n} signed-in browsers of {name} were signed out.",
        "en_one": "1 signed-in browser of {name} was signed out.",
        "one_if": "n",
        "zh": "{name} 的 {n} 个已登录浏览器已退出登录。",
    },
    "users.removed": {"en": "{name} is removed.", "zh": "{name} 已删除。"},
    "users.passwords_differ": {"en": "The two passwords differ.", "zh": "两次输入的密码不一致。"},
    "users.self_note": {
        "en": "This is you: you cannot disable, remove or demote your own account here.",
        "zh": "这是您自己的账号:不能在此停用、删除或降级。",
    },
    "users.weak.short": {
        "en": "This password is too short: use at least {min} characters.",
        "zh": "密码太短:至少需要 {min} 个字符。",
    },
    "users.weak.demo": {
        "en": "This is the demo's public password; choose one nobody else knows.",
        "zh": "这是公开的演示密码,请选择别人不知道的密码。",
    },
    "users.weak.username": {
        "en": "A password must not contain the username.",
        "zh": "密码不能包含用户名。",
    },
    "users.weak.guessable": {
        "en": "This password is too easy to guess (a common password, word, name or pattern). "
        "Use a longer one, e.g. three or four unrelated words.",
        "zh": "密码太容易被猜到(常见密码、单词、姓名或规律)。"
        "请使用更长的密码,例如三四个互不相关的词。",
    },
    "users.error.no_user": {"en": "There is no user {name}.", "zh": "不存在用户 {name}。"},
    "users.error.exists": {"en": "There is already a user {name}.", "zh": "用户 {name} 已存在。"},
    "users.error.self": {
        "en": "You cannot do this to your own account.",
        "zh": "不能对自己的账号执行此操作。",
    },
    "users.error.last_admin": {
        "en": "{name} is the last active admin. Add or enable another admin first.",
        "zh": "{name} 是最后一个有效的管理员。请先添加或启用另一位管理员。",
    },
    "users.error.username": {
        "en": "Use only letters, digits, '.', '-' or '_' in a username (at most 64).",
        "zh": "用户名只能包含字母、数字、“.”、“-”或“_”(最多 64 个字符)。",
    },
    "users.error.role": {"en": "Unknown role.", "zh": "未知角色。"},
    "users.error.needs_rep": {
        "en": "A sales rep needs the rep id whose customers they see.",
        "zh": "销售代表账号需要填写其对应的销售代表编号。",
    },
    "users.error.needs_team": {
        "en": "A manager needs the team they manage.",
        "zh": "经理账号需要填写其管理的团队。",
    },
    "users.error.no_rep": {
        "en": "There is no rep with this id.",
        "zh": "不存在该编号的销售代表。",
    },
    "users.error.no_team": {"en": "There is no such team.", "zh": "不存在该团队。"},
    # ---- import (issue 10): the importer's problems and warnings, by key (importing/*.py)
    "import.table.file": {"en": "file", "zh": "文件"},
    "import.table.line": {"en": "line", "zh": "行号"},
    "import.table.column": {"en": "column", "zh": "列"},
    "import.table.problem": {"en": "problem", "zh": "问题"},
    "import.file.not_found": {"en": "file not found", "zh": "找不到文件"},
    "import.file.broken_link": {
        "en": "is a symbolic link to {target}, which does not exist",
        "zh": "是指向 {target} 的符号链接,但目标不存在",
    },
    "import.file.directory": {
        "en": "is a directory, not a file; name the CSV or Parquet files inside it",
        "zh": "是文件夹而不是文件;请指定其中的 CSV 或 Parquet 文件",
    },
    "import.file.not_regular": {
        "en": "is not a regular file (a device, pipe or socket); save the export to a file",
        "zh": "不是普通文件(设备、管道或套接字);请先将导出数据保存为文件",
    },
    "import.file.unreadable": {"en": "cannot be read: {reason}", "zh": "无法读取:{reason}"},
    "import.file.empty": {"en": "the file is empty", "zh": "文件为空"},
    "import.file.type": {
        "en": "unsupported file type {suffix}; use .csv or .parquet",
        "zh": "不支持的文件类型 {suffix};请使用 .csv 或 .parquet",
    },
    "import.file.kind": {
        "en": "cannot tell which table this file holds; name it reps*, customers*, visits* or "
        "orders*, or pass --kind",
        "zh": "无法判断文件属于哪张表;请以 reps、customers、visits 或 orders 开头命名文件"
        "(命令行可用 --kind 指定)",
    },
    "import.file.no_rows": {
        "en": "the file has a header but no data rows",
        "zh": "文件只有表头,没有数据行",
    },
    "import.file.second_of_kind": {
        "en": "a second {kind} file in one import (first: {first}); import them one after the "
        "other",
        "zh": "同一次导入中有第二个 {kind} 文件(第一个:{first});请分批依次导入",
    },
    "import.csv.encoding": {
        "en": "is not UTF-8 text; save the export as UTF-8",
        "zh": "不是 UTF-8 文本;请将导出文件保存为 UTF-8 编码",
    },
    "import.csv.fields": {
        "en": "not valid CSV: this row has {fields} fields, the header has {header}",
        "zh": "CSV 格式错误:此行有 {fields} 个字段,表头有 {header} 个",
    },
    "import.csv.invalid": {"en": "not valid CSV: {detail}", "zh": "CSV 格式错误:{detail}"},
    "import.csv.quoting": {
        "en": "not valid CSV: inconsistent quoting",
        "zh": "CSV 格式错误:引号使用不一致",
    },
    "import.parquet.unreadable": {
        "en": "not a readable Parquet file: {detail}",
        "zh": "无法读取的 Parquet 文件:{detail}",
    },
    "import.parquet.type": {
        "en": "has the Parquet type {type}, which the import cannot take; export it as text, a "
        "number or a date",
        "zh": "的 Parquet 类型为 {type},导入无法接受;请导出为文本、数字或日期",
    },
    "import.limit.file_size": {
        "en": "the file is {size} MB; the limit is {limit} MB per file "
        "(REPURCHASE_IMPORT_MAX_MB): split it or raise the limit",
        "zh": "文件大小为 {size} MB,超过每个文件 {limit} MB 的上限(REPURCHASE_IMPORT_MAX_MB);"
        "请拆分文件或提高上限",
    },
    "import.limit.unpacked": {
        "en": "its values take more than {limit} MB once unpacked, the limit per file "
        "(REPURCHASE_IMPORT_MAX_MB): split it or raise the limit",
        "zh": "解压后的数据超过每个文件 {limit} MB 的上限(REPURCHASE_IMPORT_MAX_MB);"
        "请拆分文件或提高上限",
    },
    "import.limit.rows": {
        "en": "more than {limit} data rows, the limit per file (REPURCHASE_IMPORT_MAX_ROWS): "
        "split it or raise the limit",
        "zh": "数据行超过每个文件 {limit} 行的上限(REPURCHASE_IMPORT_MAX_ROWS);"
        "请拆分文件或提高上限",
    },
    "import.limit.field": {
        "en": "a value longer than {limit} characters, the limit "
        "(REPURCHASE_IMPORT_MAX_FIELD_CHARS); is this the right file?",
        "zh": "值的长度超过 {limit} 个字符的上限(REPURCHASE_IMPORT_MAX_FIELD_CHARS);"
        "请确认文件是否正确",
    },
    "import.column.missing": {
        "en": "required column '{name}' is missing",
        "zh": "缺少必需的列 '{name}'",
    },
    "import.column.duplicate": {"en": "column appears more than once", "zh": "列名重复出现"},
    "import.warning.unknown_columns": {
        "en": "{file}: ignored unknown column(s) {columns}",
        "zh": "{file}:已忽略未知的列 {columns}",
    },
    "import.value.required": {
        "en": "'{name}' is empty; a value is required",
        "zh": "'{name}' 为空;此项必填",
    },
    "import.value.too_long": {"en": "longer than {limit} characters", "zh": "超过 {limit} 个字符"},
    "import.value.control": {
        "en": "contains the control character {char}, which no export should hold",
        "zh": "含有控制字符 {char},导出数据中不应出现",
    },
    "import.value.choice": {
        "en": "'{value}' is not one of: {allowed}",
        "zh": "'{value}' 不是以下取值之一:{allowed}",
    },
    "import.value.date": {
        "en": "'{value}' is not a valid ISO-8601 date (YYYY-MM-DD)",
        "zh": "'{value}' 不是有效的 ISO-8601 日期(YYYY-MM-DD)",
    },
    "import.value.datetime": {
        "en": "'{value}' is not a valid ISO-8601 date (YYYY-MM-DD or YYYY-MM-DD HH:MM[:SS])",
        "zh": "'{value}' 不是有效的 ISO-8601 日期(YYYY-MM-DD 或 YYYY-MM-DD HH:MM[:SS])",
    },
    "import.value.future": {"en": "'{value}' is in the future", "zh": "'{value}' 是未来的日期"},
    "import.value.ancient": {
        "en": "'{value}' is implausibly old; check the year",
        "zh": "'{value}' 过于久远,请检查年份",
    },
    "import.value.number": {"en": "'{value}' is not a number", "zh": "'{value}' 不是数字"},
    "import.value.not_finite": {
        "en": "'{value}' is not a finite number",
        "zh": "'{value}' 不是有限的数字",
    },
    "import.value.negative": {"en": "'{value}' is negative", "zh": "'{value}' 为负数"},
    "import.value.too_large": {
        "en": "'{value}' is too large; the largest amount is 999,999,999,999.99",
        "zh": "'{value}' 过大;金额最大为 999,999,999,999.99",
    },
    "import.row.duplicate_id": {
        "en": "duplicate {name} '{value}' (first on line {first})",
        "zh": "{name} '{value}' 重复(首次出现在第 {first} 行)",
    },
    "import.row.hired_young": {
        "en": "hire_date is less than 16 years after birth_date",
        "zh": "hire_date 距 birth_date 不足 16 年",
    },
    "import.row.left_before_hired": {
        "en": "left_date is before hire_date",
        "zh": "left_date 早于 hire_date",
    },
    "import.row.amount_no_order": {
        "en": "an order_amount above 0 on a visit whose result is no_order",
        "zh": "结果为 no_order(暂无采购需求)的回访,order_amount 却大于 0",
    },
    "import.ref.unknown_rep": {
        "en": "unknown rep id '{value}' (not in the warehouse or in this import)",
        "zh": "未知的销售代表编号 '{value}'(数据库和本次导入中都没有)",
    },
    "import.ref.unknown_customer": {
        "en": "unknown customer id '{value}' (not in the warehouse or in this import)",
        "zh": "未知的客户编号 '{value}'(数据库和本次导入中都没有)",
    },
    "import.ref.after_left": {
        "en": "a visit on {day} by rep {rep}, who left on {left}",
        "zh": "回访日期 {day} 晚于销售代表 {rep} 的离职日期 {left}",
    },
    "import.ref.before_created": {
        "en": "a visit on {day} to customer {customer}, created only on {created}",
        "zh": "回访日期 {day} 早于客户 {customer} 的创建日期 {created}",
    },
    # ---- background jobs (issue 10)
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
    # ---- demo safety (issue 10)
    "demo.is_demo": {
        "en": "This warehouse holds the demo. Importing your company's data replaces the demo: "
        "first a backup is taken, then, together with the import, every row of the demo is "
        "removed (its reps, customers, visits, orders, call lists, scores, hold-out, backtests "
        "and models) and so are the demo's accounts (rep, manager, admin), whose password is "
        "public.",
        "zh": "当前为演示数据。导入贵公司的数据将替换演示数据:先备份,然后与导入一起删除演示数据的"
        "全部内容(销售代表、客户、回访、订单、回访名单、评分、对照组、回测和模型)以及演示账号"
        "(rep、manager、admin,其密码是公开的)。",
    },
    "demo.own_admin": {
        "en": "You are signed in with the demo's admin account, which goes with the demo. "
        "Choose your own admin account: it is created in the same step and you stay signed in "
        "with it.",
        "zh": "您当前使用的是演示管理员账号,它会随演示数据一起删除。请设置您自己的管理员账号:"
        "它将在同一步骤中创建,您将以该账号保持登录。",
    },
    "demo.new_username": {"en": "Your username", "zh": "您的用户名"},
    "demo.new_password": {"en": "Your password", "zh": "您的密码"},
    "demo.repeat_password": {"en": "Repeat the password", "zh": "再次输入密码"},
    "demo.confirm": {
        "en": "I understand: remove the demo and import my data",
        "zh": "我已了解:删除演示数据并导入我的数据",
    },
    "demo.do_replace": {"en": "Replace the demo with my data", "zh": "用我的数据替换演示数据"},
    "demo.replaced": {
        "en": "The demo was replaced by your data ({summary}). Backup of the demo: {folder}",
        "zh": "演示数据已替换为您的数据({summary})。演示数据的备份:{folder}",
    },
    "demo.signed_in_as": {
        "en": "You are now signed in as {name}.",
        "zh": "您现在以 {name} 的身份登录。",
    },
    # ---- issue 11, value and churn models, team ranking, backtest (helper: models)
    "measures.title": {
        "en": "Value and churn risk (same backtest run)",
        "zh": "订单价值与流失风险(同一次回测)",
    },
    "measures.none": {
        "en": "The latest backtest run has no value or churn figures; run the backtest again.",
        "zh": "最近一次回测没有价值与流失指标;请重新运行回测。",
    },
    "measures.value_title": {
        "en": "Value model vs the customer's own average order",
        "zh": "价值模型 vs 客户自身平均订单额",
    },
    "measures.figure": {"en": "Figure", "zh": "指标"},
    "measures.model": {"en": "Spend model (Gamma-Gamma)", "zh": "消费模型(Gamma-Gamma)"},
    "measures.baseline": {"en": "Own average", "zh": "自身平均"},
    "measures.size_mae": {
        "en": "Order size: mean absolute error",
        "zh": "订单额:平均绝对误差",
    },
    "measures.size_mdape": {
        "en": "Order size: median absolute % error",
        "zh": "订单额:绝对百分比误差中位数",
    },
    "measures.value_mae": {
        "en": "Value in 4 weeks: mean absolute error",
        "zh": "4 周内价值:平均绝对误差",
    },
    "measures.value_rmse": {
        "en": "Value in 4 weeks: root mean squared error",
        "zh": "4 周内价值:均方根误差",
    },
    "measures.value_explain": {
        "en": "Order size is judged on the {ordered} candidates who ordered with a price in the "
        "4 weeks after each backtest Monday; value in 4 weeks (chance x orders x size) on all "
        "{candidates} candidates over {weeks} weeks.",
        "zh": "订单额以每个回测周一后 4 周内有金额下单的 {ordered} 位候选客户评估;4 周内价值"
        "(概率 x 单数 x 订单额)以 {weeks} 周内全部 {candidates} 位候选客户评估。",
    },
    "measures.ranking_title": {
        "en": "Order value captured per call",
        "zh": "每次拜访带来的订单额",
    },
    "measures.list": {"en": "List", "zh": "名单"},
    "measures.per_call": {"en": "Order value per call", "zh": "每次拜访订单额"},
    "measures.precision": {"en": "Precision", "zh": "准确率"},
    "measures.calls": {"en": "Calls", "zh": "拜访数"},
    "measures.by_probability": {"en": "Ranked by probability", "zh": "按下单概率排序"},
    "measures.by_value": {"en": "Ranked by expected value", "zh": "按预期价值排序"},
    "measures.by_own_average": {
        "en": "Ranked by value (own average size)",
        "zh": "按价值排序(自身平均订单额)",
    },
    "measures.with_rule": {
        "en": "By probability, re-call rule applied",
        "zh": "按概率排序,并应用重复拜访规则",
    },
    "measures.ranking_explain": {
        "en": "Each rep's top {top} among the week's candidates; value per call is the actual "
        "spend in the next 4 weeks of the listed customers divided by the calls. The re-call "
        "rule leaves off customers called in the last {days} days without an order "
        "({left_off} candidates).",
        "zh": "每位销售在当周候选客户中的前 {top} 名;每次拜访订单额为名单客户随后 4 周的实际"
        "消费总额除以拜访数。重复拜访规则排除最近 {days} 天内拜访但未下单的客户"
        "({left_off} 位候选客户)。",
    },
    "measures.churn_title": {
        "en": "Churn flag: who then did not order for 90 days",
        "zh": "流失预警:之后 90 天未下单的客户",
    },
    "measures.rule": {"en": "Rule", "zh": "规则"},
    "measures.flag": {"en": "Churn flag", "zh": "流失预警"},
    "measures.twice_gap": {
        "en": "No order for twice the usual gap",
        "zh": "超过平常间隔两倍未下单",
    },
    "measures.recall": {"en": "Recall", "zh": "召回率"},
    "measures.flagged": {"en": "Flagged", "zh": "预警数"},
    "measures.churn_explain": {
        "en": "Over {weeks} backtest weeks with 90 days observed after them, among buyers with "
        "two or more orders ({lapse} of whom then did not order for 90 days). Precision: "
        "flagged who lapsed / flagged; recall: lapsed who were flagged / lapsed.",
        "zh": "基于之后已观察满 90 天的 {weeks} 个回测周,对象为至少下过两次单的客户(其中 "
        "{lapse} 之后 90 天未下单)。准确率:被预警且流失 / 被预警;召回率:流失且被预警 / 流失。",
    },
    "measures.no_churn_weeks": {
        "en": "No backtest week had 90 days observed after it; run a longer backtest (14 weeks).",
        "zh": "没有回测周之后已观察满 90 天;请运行更长的回测(14 周)。",
    },
    "cohorts.holdout_value": {
        "en": "Order value per customer within {days} days: listed {listed}, held out {held}; "
        "difference {difference} (95 % interval {low} to {high})",
        "zh": "{days} 天内每位客户的订单金额:名单内 {listed},对照组 {held};"
        "差值 {difference}(95% 区间 {low} 至 {high})",
    },
    # ---- end of issue 11, models
    # ---- issue 11, reasons for and against, the change since the previous list
    "reason.not_due": {
        "en": "Usually orders every {every} days; last order only {since} days ago: not due yet",
        "en_one": "Usually orders every {every} days; ordered yesterday: not due yet",
        "one_if": "since",
        "zh": "通常每 {every} 天下单一次,{since} 天前刚下过单:还未到下单时间",
    },
    "reason.lapsed": {
        "en": "No order for {since} days, though they used to order every {every}: "
        "may have moved on",
        "zh": "已 {since} 天未下单(以往每 {every} 天一次):可能已流失",
    },
    "reason.quiet_year": {
        "en": "No order in the last 12 months",
        "zh": "过去 12 个月没有下单",
    },
    # ---- end of issue 11, reasons
    # ---- issue 11, visit outcomes, follow-ups, contacts, import contract (helper: outcomes)
    "log.follow_up": {"en": "Call back on (optional)", "zh": "下次跟进日期(选填)"},
    "log.follow_up_help": {
        "en": "The customer is put on your call list that day.",
        "zh": "当天该客户会出现在您的回访名单上。",
    },
    "log.field.follow_up_date": {"en": "Call back on", "zh": "下次跟进日期"},
    "log.follow_up_shown": {"en": "Call back on {day}", "zh": "{day} 再跟进"},
    "visit.error.follow_up_not_after": {
        "en": "must be after the visit's day ({day})",
        "zh": "必须晚于回访当天({day})",
    },
    "visit.error.follow_up_too_far": {
        "en": "at most {days} days after the visit",
        "zh": "最多为回访后 {days} 天",
    },
    "visit.error.follow_up_not_date": {"en": "must be a date", "zh": "必须是日期"},
    "import.value.phone": {
        "en": "'{value}' is not a phone number (digits, an optional leading +, spaces, dashes, "
        "parentheses; at most {limit} characters)",
        "zh": "'{value}' 不是电话号码(数字,可带开头的 +、空格、短横线、括号;最多 {limit} 个字符)",
    },
    "import.row.amount_not_reached": {
        "en": "an order_amount above 0 on a visit whose result is not_reached",
        "zh": "结果为 not_reached(未联系上)的回访,order_amount 却大于 0",
    },
    "import.row.follow_up_not_after": {
        "en": "follow_up_date '{value}' is not after the visit's day ({day})",
        "zh": "follow_up_date '{value}' 不晚于回访当天({day})",
    },
    "import.row.follow_up_too_far": {
        "en": "follow_up_date '{value}' is more than {days} days after the visit ({day})",
        "zh": "follow_up_date '{value}' 距回访日({day})超过 {days} 天",
    },
    # ---- end of issue 11, outcomes
    # ---- issue 11, the call list's cards, snooze and skip (helper: worklist)
    "worklist.ranked_by.probability": {
        "en": "Ranked by the chance of an order.",
        "zh": "按下单概率排序。",
    },
    "worklist.ranked_by.value": {
        "en": "Ranked by expected order value (chance × typical order).",
        "zh": "按预期订单金额排序(概率 × 常规订单额)。",
    },
    "worklist.follow_ups": {
        "en": "{n} follow-ups you asked for come first.",
        "en_one": "1 follow-up you asked for comes first.",
        "one_if": "n",
        "zh": "您约定回访的 {n} 位客户排在最前。",
    },
    "worklist.follow_up_due": {"en": "Follow-up due today", "zh": "今日约定回访"},
    "worklist.follow_up_overdue": {
        "en": "Follow-up overdue since {day}",
        "zh": "约定回访已逾期(自 {day} 起)",
    },
    "worklist.moved_up": {
        "en": "Moved up after a skip or snooze",
        "zh": "因跳过或暂缓而递补",
    },
    "worklist.contact": {"en": "Contact", "zh": "联系人"},
    "worklist.no_contact": {"en": "No contact on file", "zh": "暂无联系人信息"},
    "worklist.typical_order": {"en": "Typical order {amount}", "zh": "常规订单额 {amount}"},
    "worklist.expected_value": {
        "en": "Expected in 4 weeks {amount}",
        "zh": "未来 4 周预期金额 {amount}",
    },
    "worklist.churn_badge": {"en": "Drifting away ({risk})", "zh": "流失风险({risk})"},
    "worklist.change_up": {
        "en": "↑ +{points} pts since the last list",
        "zh": "↑ 较上次名单 +{points} 个百分点",
    },
    "worklist.change_down": {
        "en": "↓ {points} pts since the last list",
        "zh": "↓ 较上次名单 {points} 个百分点",
    },
    "worklist.change_none": {"en": "→ unchanged since the last list", "zh": "→ 与上次名单持平"},
    "worklist.against": {"en": "Against:", "zh": "不利因素:"},
    "worklist.not_reached_today": {
        "en": "Not reached today: try again",
        "zh": "今日未联系上:可再试",
    },
    "worklist.set_aside": {"en": "Snooze / skip", "zh": "暂缓 / 跳过"},
    "worklist.snooze_days": {"en": "Snooze for (days)", "zh": "暂缓天数"},
    "worklist.snooze": {"en": "Snooze", "zh": "暂缓"},
    "worklist.skip_reason": {"en": "Skip today because", "zh": "今日跳过原因"},
    "worklist.skip_note": {"en": "Note (optional)", "zh": "备注(可选)"},
    "worklist.skip": {"en": "Skip today", "zh": "今日跳过"},
    "worklist.skip_reason.in_touch_otherwise": {
        "en": "Already in touch another way",
        "zh": "已通过其他方式联系",
    },
    "worklist.skip_reason.customer_away": {"en": "Customer away", "zh": "客户不在(休假/出差)"},
    "worklist.skip_reason.not_my_customer": {
        "en": "Not my customer any more",
        "zh": "已不是我的客户",
    },
    "worklist.skip_reason.other": {"en": "Other", "zh": "其他"},
    "worklist.snoozed": {
        "en": "{name} snoozed until {until}.",
        "zh": "已暂缓 {name},至 {until} 恢复。",
    },
    "worklist.skipped": {"en": "{name} skipped today.", "zh": "今日已跳过 {name}。"},
    "worklist.moved_up_notice": {
        "en": "{name} moved up onto your list.",
        "zh": "{name} 已递补进入名单。",
    },
    "worklist.undone": {
        "en": "Undone: {name} is back on the list.",
        "zh": "已撤销:{name} 回到名单。",
    },
    "worklist.set_aside_title": {
        "en": "Set aside today ({n})",
        "zh": "今日已搁置({n})",
    },
    "worklist.skipped_because": {
        "en": "Skipped today: {reason}",
        "zh": "今日跳过:{reason}",
    },
    "worklist.snoozed_until": {"en": "Snoozed until {until}", "zh": "暂缓至 {until}"},
    "worklist.undo": {"en": "Undo", "zh": "撤销"},
    "worklist.actions_today_only": {
        "en": "Snooze and skip work on today's list.",
        "zh": "暂缓和跳过仅适用于今日名单。",
    },
    "worklist.drifting": {"en": "Customers drifting away", "zh": "有流失风险的客户"},
    "worklist.drifting_caption": {
        "en": "Your customers whose buying rhythm says they are overdue and less likely to "
        "still be active, highest risk first.",
        "zh": "采购节奏已逾期、仍活跃的可能性正在下降的客户,风险最高者在前。",
    },
    "worklist.drifting_none": {
        "en": "No customer is flagged as drifting away today.",
        "zh": "今日没有客户被标记为流失风险。",
    },
    "worklist.days_since": {
        "en": "Last call {days} days ago",
        "en_one": "Last call yesterday",
        "one_if": "days",
        "zh": "{days} 天前回访",
    },
    "worklist.risk": {"en": "Churn risk {risk}", "zh": "流失风险 {risk}"},
    "worklist.error.days": {
        "en": "A snooze lasts {low} to {high} days.",
        "zh": "暂缓天数须在 {low} 到 {high} 天之间。",
    },
    "worklist.error.reason": {
        "en": "Choose a reason for skipping from the list.",
        "zh": "请从列表中选择跳过原因。",
    },
    "worklist.error.note": {
        "en": "The note is too long: at most {n} characters.",
        "zh": "备注过长:最多 {n} 个字符。",
    },
    "worklist.error.already_set_aside": {
        "en": "This customer is already set aside today: undo that first.",
        "zh": "该客户今日已被搁置:请先撤销。",
    },
    "worklist.error.not_in_force": {
        "en": "Nothing to undo: this snooze or skip is no longer in force.",
        "zh": "无可撤销:该暂缓或跳过已不再生效。",
    },
    # ---- end of issue 11, worklist
    # ---- issue 11, the manager's today and the weekly report (helper: manager)
    "nav.team_today": {"en": "Team today", "zh": "团队今日"},
    "team.day": {"en": "Day", "zh": "日期"},
    "team.team": {"en": "Team", "zh": "团队"},
    "team.no_team": {"en": "(no team)", "zh": "(无团队)"},
    "team.no_reps": {
        "en": "No current reps in your scope.",
        "zh": "您的范围内没有在职的销售代表。",
    },
    "team.no_lists": {
        "en": "No call lists for {day} yet: they are written each morning (or by the nightly "
        "job). The week's success and the customers at risk are below.",
        "zh": "{day} 还没有回访名单:名单每天早上(或由夜间任务)生成。"
        "本周成功率和流失风险客户见下方。",
    },
    "team.no_visits": {
        "en": "No visits logged from {first} to {day} yet.",
        "zh": "{first} 至 {day} 还没有回访记录。",
    },
    "team.worked_caption": {
        "en": "{worked} of {listed} listed customers worked on {day} ({share}); {open} still open.",
        "zh": "{day} 名单共 {listed} 位客户,已处理 {worked} 位({share}),还有 {open} 位未处理。",
    },
    "team.success_caption": {
        "en": "Success from {first} to {day}: on-list {on}, off-list {off} "
        "(rate, 95 % interval, successes / visits).",
        "zh": "{first} 至 {day} 的成功率:名单内 {on},名单外 {off}"
        "(成功率、95% 置信区间、成功数/回访数)。",
    },
    "team.risk_caption": {
        "en": "At risk: customers the scoring of {day} flagged as drifting away.",
        "zh": "流失风险:{day} 评分标记为可能流失的客户。",
    },
    "team.risk_none": {
        "en": "No scoring yet: no customers flagged as at risk.",
        "zh": "尚无评分:没有标记流失风险的客户。",
    },
    "team.col.rep": {"en": "Rep", "zh": "销售代表"},
    "team.col.name": {"en": "Name", "zh": "姓名"},
    "team.col.team": {"en": "Team", "zh": "团队"},
    "team.col.listed": {"en": "Listed", "zh": "名单客户"},
    "team.col.ordered": {"en": "Ordered", "zh": "下单"},
    "team.col.no_demand": {"en": "No demand", "zh": "暂无需求"},
    "team.col.not_reached": {"en": "Not reached", "zh": "未联系上"},
    "team.col.snoozed": {"en": "Snoozed", "zh": "已推迟"},
    "team.col.skipped": {"en": "Skipped", "zh": "已跳过"},
    "team.col.open": {"en": "Open", "zh": "未处理"},
    "team.col.worked_share": {"en": "Worked", "zh": "完成度"},
    "team.col.on_list": {"en": "On-list success", "zh": "名单内成功率"},
    "team.col.off_list": {"en": "Off-list success", "zh": "名单外成功率"},
    "team.col.at_risk": {"en": "At risk", "zh": "流失风险"},
    "team.totals": {"en": "Total", "zh": "合计"},
    "team.open_rep": {"en": "Rep's call list", "zh": "销售代表的名单"},
    "team.open": {"en": "Open call list", "zh": "打开回访名单"},
    "team.report": {"en": "Weekly report", "zh": "周报"},
    "team.report_week": {"en": "Week of", "zh": "所在周"},
    "team.report_explain": {
        "en": "A self-contained HTML page for e-mail or print (in the language shown here): "
        "per rep the share of the list worked, success on-list vs off-list with 95 % "
        "intervals, and customers at risk, for the week {first} to {last}.",
        "zh": "可直接作为邮件附件或打印的 HTML 页面(使用当前界面语言):{first} 至 {last} "
        "这一周每位销售代表的名单完成度、名单内外成功率(含 95% 置信区间)和流失风险客户数。",
    },
    "team.download_report": {"en": "Download the weekly report", "zh": "下载周报"},
    "report.title": {"en": "Weekly call-list report", "zh": "回访名单周报"},
    "report.scope_team": {"en": "Team {team}", "zh": "团队 {team}"},
    "report.scope_all": {"en": "All teams", "zh": "全部团队"},
    "report.week": {"en": "Week {first} to {last}", "zh": "{first} 至 {last} 周"},
    "report.in_progress": {
        "en": "The week is in progress: days up to {last} only.",
        "zh": "本周尚未结束:仅包含截至 {last} 的数据。",
    },
    "report.generated": {
        "en": "Generated {when} for {who}. Data up to {last_day}.",
        "zh": "生成时间 {when},生成人 {who}。数据截至 {last_day}。",
    },
    "report.no_data": {"en": "none yet", "zh": "暂无"},
    "report.list_days": {
        "en": "Days with call lists this week: {days}.",
        "zh": "本周有回访名单的天数:{days}。",
    },
    "report.method": {
        "en": "Worked: listed customers visited (with an order or no demand), not reached, "
        "snoozed or skipped on their list's day. On-list: the customer was on the rep's list on "
        "one of the 7 days up to the visit. Intervals: 95 % Wilson. At risk: customers the "
        "latest scoring up to {last} flagged as drifting away.",
        "zh": "已处理:名单当天已回访(下单或暂无需求)、未联系上、推迟或跳过的名单客户。"
        "名单内:回访前 7 天内该客户在该销售代表的名单上。置信区间:95% Wilson。"
        "流失风险:截至 {last} 的最新评分标记为可能流失的客户。",
    },
    "data.ranking": {"en": "How each team's lists are ranked", "zh": "各团队名单的排序方式"},
    "data.ranking_explain": {
        "en": "By chance of an order (the default) or by expected order value. A change takes "
        "effect from the next list written (tomorrow morning, or the next retrain); lists "
        "already written stay as they are.",
        "zh": "按下单概率(默认)或按预期订单金额排序。"
        "修改从下一次生成名单起生效(明天早上或下次重新训练后);已生成的名单保持不变。",
    },
    "data.ranking_team": {"en": "Team", "zh": "团队"},
    "data.ranking_by": {"en": "Rank by", "zh": "排序依据"},
    "data.ranking_save": {"en": "Save ranking", "zh": "保存排序方式"},
    "data.ranking_saved": {
        "en": "Team {team} now ranks by {by}, from the next list written.",
        "zh": "团队 {team} 从下一次生成名单起按{by}排序。",
    },
    "data.ranking_col.reps": {"en": "Current reps", "zh": "在职销售代表"},
    "data.ranking_col.updated_by": {"en": "Set by", "zh": "设置人"},
    "data.ranking_col.updated_at": {"en": "Set at", "zh": "设置时间"},
    "rank_by.probability": {"en": "chance of an order", "zh": "下单概率"},
    "rank_by.value": {"en": "expected order value", "zh": "预期订单金额"},
    # ---- end of issue 11, manager
    # ---- company sign-in, OpenID Connect (issue 12)
    "company.button": {"en": "Sign in with {provider}", "zh": "使用{provider}登录"},
    "company.button_default": {
        "en": "Sign in with your company account",
        "zh": "使用公司账号登录",
    },
    "company.or_password": {
        "en": "Or sign in with a username and password kept in this app:",
        "zh": "或使用本应用的用户名和密码登录:",
    },
    "company.sign_out_provider": {
        "en": "Sign out of this company account",
        "zh": "退出此公司账号",
    },
    "company.refused.unknown": {
        "en": "The company account {identity} is not linked to a user of this app, so it "
        "cannot sign in. Ask an admin to add you with this account.",
        "zh": "公司账号 {identity} 未关联本应用的用户,无法登录。请联系管理员用此账号为您添加用户。",
    },
    "company.refused.disabled": {
        "en": "Your user in this app ({identity}) is disabled; ask an admin.",
        "zh": "您在本应用的用户({identity})已停用,请联系管理员。",
    },
    "company.refused.unverified": {
        "en": "Your identity provider has not verified the email address {identity}, so it "
        "cannot sign in here. Ask an admin.",
        "zh": "身份提供方尚未验证邮箱 {identity},因此无法登录。请联系管理员。",
    },
    "company.refused.no_claim": {
        "en": "Your identity provider did not say who you are in the way this app matches "
        "users (the {claim} claim). Ask an admin to check the company sign-in settings.",
        "zh": "身份提供方未提供本应用用于匹配用户的信息({claim})。"
        "请联系管理员检查公司账号登录的设置。",
    },
    "company.refused.expired": {
        "en": "Your company sign-in has expired. Sign in again.",
        "zh": "公司账号登录已过期,请重新登录。",
    },
    "company.refused.used": {
        "en": "Your session has ended. Sign in again.",
        "zh": "您的会话已结束,请重新登录。",
    },
    "company.settings_error": {
        "en": "Company sign-in is misconfigured (.streamlit/secrets.toml): {message}",
        "zh": "公司账号登录配置有误(.streamlit/secrets.toml):{message}",
    },
    "users.col.external_id": {"en": "Company account", "zh": "公司账号"},
    "users.field.external_id": {
        "en": "Company account (optional)",
        "zh": "公司账号(可选)",
    },
    "users.external_id_help": {
        "en": "The value company sign-in matches: by default the email the identity provider "
        "sends. A user with a company account needs no password here.",
        "zh": "公司账号登录所匹配的值:默认为身份提供方提供的邮箱。"
        "关联了公司账号的用户无需在此设置密码。",
    },
    "users.set_external_id": {"en": "Company sign-in", "zh": "公司账号登录"},
    "users.do_set_external_id": {"en": "Save company account", "zh": "保存公司账号"},
    "users.external_id_set": {
        "en": "{name} now signs in with the company account {identity}; {n} signed-in "
        "browsers were signed out.",
        "en_one": "{name} now signs in with the company account {identity}; {n} signed-in "
        "browser was signed out.",
        "one_if": "n",
        "zh": "{name} 现在使用公司账号 {identity} 登录;已有 {n} 个浏览器退出登录。",
    },
    "users.external_id_cleared": {
        "en": "{name} no longer has a company account; {n} signed-in browsers were signed out.",
        "en_one": "{name} no longer has a company account; {n} signed-in browser was signed out.",
        "one_if": "n",
        "zh": "{name} 已不再关联公司账号;已有 {n} 个浏览器退出登录。",
    },
    "users.password_optional": {
        "en": "With a company account the password may stay empty: then only company sign-in "
        "signs this user in.",
        "zh": "关联公司账号时密码可以留空:此时该用户只能通过公司账号登录。",
    },
    "users.error.external_id": {
        "en": "A company account is at most 256 printable characters.",
        "zh": "公司账号最多 256 个可打印字符。",
    },
    "users.error.external_id_taken": {
        "en": "This company account is already linked to another user.",
        "zh": "该公司账号已关联其他用户。",
    },
    "users.error.needs_sign_in": {
        "en": "Give a password or a company account (or both).",
        "zh": "请填写密码或公司账号(或两者都填)。",
    },
    # ---- end of company sign-in
}

# Display names of stored codes; codes a company's ERP adds show as they are.
VALUES: dict[str, dict[str, dict[str, str]]] = {
    "customer_type": {
        "trader": {"en": "Trader", "zh": "贸易商"},
        "manufacturer": {"en": "Manufacturer", "zh": "生产厂家"},
        "design_house": {"en": "Design house", "zh": "研发方案商"},
    },
    "industry": {
        "consumer": {"en": "Consumer electronics", "zh": "消费电子"},
        "industrial": {"en": "Industrial", "zh": "工业控制"},
        "communications": {"en": "Communications", "zh": "通信"},
        "automotive": {"en": "Automotive", "zh": "汽车电子"},
        "medical": {"en": "Medical electronics", "zh": "医疗电子"},
    },
    "tag": {
        "key": {"en": "Key account", "zh": "重点客户"},
        "high_potential": {"en": "High potential", "zh": "高潜质客户"},
        "small_medium": {"en": "Small/medium", "zh": "中小型客户"},
    },
    "method": {
        "phone": {"en": "Phone", "zh": "电话"},
        "im": {"en": "IM (QQ/WeChat)", "zh": "即时通讯(QQ/微信)"},
        "onsite": {"en": "On-site", "zh": "上门拜访"},
        "email": {"en": "Email", "zh": "邮件"},
    },
    "target": {
        "new_customer": {"en": "Not yet ordered", "zh": "未下单客户"},
        "first_order": {"en": "First-order customer", "zh": "首单客户"},
        "no_order_3m": {"en": "No order in 3 months", "zh": "3个月内未下单"},
        "active": {"en": "Active customer", "zh": "活跃客户"},
    },
    "purpose": {
        "needs_discovery": {"en": "Needs discovery", "zh": "挖掘需求"},
        "quote_follow_up": {"en": "Quote follow-up", "zh": "报价跟进"},
        "relationship": {"en": "Relationship", "zh": "客户维护"},
        "delivery_follow_up": {"en": "Delivery follow-up", "zh": "交付跟进"},
    },
    "result": {
        "order": {"en": "Got an order", "zh": "成功拿到订单"},
        "no_order": {"en": "No demand", "zh": "暂无采购需求"},
        "not_reached": {"en": "Not reached", "zh": "未联系上"},
    },
    "level": {
        "junior": {"en": "Junior", "zh": "初级"},
        "mid": {"en": "Mid", "zh": "中级"},
        "senior": {"en": "Senior", "zh": "高级"},
    },
    "gender": {"M": {"en": "Male", "zh": "男"}, "F": {"en": "Female", "zh": "女"}},
    # the cohorts of evaluate.on_off_table
    "tenure": {
        "< 1 y": {"en": "< 1 y", "zh": "不足 1 年"},
        "1-2 y": {"en": "1-2 y", "zh": "1-2 年"},
        "> 2 y": {"en": "> 2 y", "zh": "2 年以上"},
    },
    "age": {
        "21-25": {"en": "21-25", "zh": "21-25 岁"},
        "26-30": {"en": "26-30", "zh": "26-30 岁"},
        "> 30": {"en": "> 30", "zh": "30 岁以上"},
    },
}


def text(key: str, language: str = "en", **params: object) -> str:
    """The message `key` in `language`, with `params` filled in. An English entry may carry a
    singular form (`en_one`) used when its count parameter (`one_if`) is 1."""
    if language not in LANGUAGES:
        raise ValueError(f"unknown language {language!r}; expected one of {LANGUAGES}")
    entry = CATALOGUE[key]
    if language == "en" and "en_one" in entry and params.get(entry["one_if"]) == 1:
        return entry["en_one"].format(**params)
    return entry[language].format(**params)


def value_label(kind: str, code: object, language: str = "en") -> str:
    """The display name of a stored code; unknown codes come back unchanged."""
    if code is None or (isinstance(code, float) and code != code):
        return ""
    names = VALUES.get(kind, {}).get(str(code))
    return names[language] if names else str(code)


def cohort_label(dimension: str, cohort: object, language: str = "en") -> str:
    """A row of the on-list vs off-list table named for people: "Tenure < 1 y", "性别 女"."""
    name = text(f"cohort.{dimension}", language)
    return name if dimension == "overall" else f"{name} {value_label(dimension, cohort, language)}"


_MARKDOWN = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:&])")


def escape_markdown(value: str) -> str:
    """Backslash-escape every character Markdown or HTML could act on."""
    return _MARKDOWN.sub(r"\\\1", value)
