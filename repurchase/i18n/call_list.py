"""The call list: the day's list, its cards, snooze and skip, and why a customer is on it."""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    # the day's list
    "list.day": {"en": "Day", "zh": "日期"},
    "list.rep": {"en": "Rep", "zh": "销售代表"},
    "list.being_written": {
        "en": "Today's lists are being written and show here within a minute. Meanwhile, the "
        "follow-ups due are below.",
        "zh": "正在生成今日名单,一分钟内显示在此。在此之前,先显示到期的回访。",
    },
    "list.no_model": {
        "en": "No call list yet: the lists begin once a model has been trained on your "
        "company's data. An admin starts the training on the Data page.",
        "zh": "还没有回访名单:模型用贵公司的数据训练完成后才会生成名单。"
        "训练由管理员在「数据管理」页面启动。",
    },
    "list.no_model_admin": {
        "en": "No model has been trained on this data yet, so no call list is written. Train "
        'one on the Data page ("Retrain now"): today\'s lists are written when it finishes.',
        "zh": "尚未用这些数据训练模型,因此还没有回访名单。请在「数据管理」页面点击「立即训练」:"
        "训练完成后即生成今日名单。",
    },
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
        "en_zero": "Last call today: {result}",
        "zh_zero": "今天已回访:{result}",
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
    # the list's cards, follow-ups, snooze and skip
    "worklist.ranked_by.probability": {
        "en": "Ranked by the chance of an order.",
        "zh": "按下单概率排序。",
    },
    "worklist.ranked_by.value": {
        "en": "Ranked by expected order value (chance × typical order).",
        "zh": "按预期订单金额排序(概率 × 常规订单额)。",
    },
    "worklist.ranked_by.effect": {
        "en": "Ranked by the orders a call wins: customers a call moves most come first, not "
        "those who would order anyway.",
        "zh": "按电话能多赢得的订单排序:电话最能促成下单的客户排在前面,而不是本来就会下单的客户。",
    },
    "worklist.ranked_by.effect_value": {
        "en": "Ranked by the order value a call wins (call effect × typical order).",
        "zh": "按电话能多赢得的订单金额排序(电话效果 × 常规订单额)。",
    },
    "worklist.follow_ups": {
        "en": "{n} follow-ups you asked for come first.",
        "en_one": "1 follow-up you asked for comes first.",
        "one_if": "n",
        "zh": "您约定回访的 {n} 位客户排在最前。",
    },
    "worklist.follow_ups_of": {
        "en": "{n} follow-ups {rep} asked for come first.",
        "en_one": "1 follow-up {rep} asked for comes first.",
        "one_if": "n",
        "zh": "{rep} 约定回访的 {n} 位客户排在最前。",
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
    "worklist.snoozed": {
        "en": "{name} snoozed until {until}.",
        "zh": "已暂缓 {name},至 {until} 恢复。",
    },
    "worklist.skipped": {"en": "{name} skipped today.", "zh": "今日已跳过 {name}。"},
    "worklist.moved_up_notice": {
        "en": "{name} moved up onto your list.",
        "zh": "{name} 已递补进入名单。",
    },
    "worklist.moved_up_notice_of": {
        "en": "{name} moved up onto {rep}'s list.",
        "zh": "{name} 已递补进入 {rep} 的名单。",
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
    "worklist.drifting_caption_of": {
        "en": "Customers of {rep} whose buying rhythm says they are overdue and less likely to "
        "still be active, highest risk first.",
        "zh": "{rep} 的客户中采购节奏已逾期、仍活跃的可能性正在下降的客户,风险最高者在前。",
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
        "en_zero": "Last call today",
        "zh_zero": "今天已回访",
    },
    "worklist.risk": {"en": "Churn risk {risk}", "zh": "流失风险 {risk}"},
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
    # why a customer is on the list, for and against (lists/explain.py)
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
    "reason.call_wins": {
        "en": "A call this week raises the chance of an order by about {points} points",
        "zh": "本周打一个电话,下单概率约提高 {points} 个百分点",
    },
    "reason.orders_online": {
        "en": "Likely to order online without a call ({chance} %): the order may come anyway",
        "zh": "不打电话也很可能自行网上下单({chance}%):订单可能本来就会来",
    },
    "reason.never_ordered": {"en": "Has not ordered yet", "zh": "尚未下过单"},
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
    # one tap per call: the card's outcome buttons, the amount, the Undo
    "tap.not_reached": {"en": "Not reached", "zh": "未联系上"},
    "tap.no_order": {"en": "No demand", "zh": "暂无需求"},
    "tap.order": {"en": "Order", "zh": "下单"},
    "tap.amount": {"en": "Order amount", "zh": "订单金额"},
    "tap.amount_placeholder": {"en": "Amount, for an order", "zh": "下单金额"},
    "tap.done": {
        "en": "Visited today at {time}: {result}",
        "zh": "今日已回访 {time}:{result}",
    },
    "tap.done_amount": {
        "en": "Visited today at {time}: order of {amount}",
        "zh": "今日已回访 {time}:下单 {amount}",
    },
    "tap.queued": {
        "en": "Saved on this server: the warehouse is busy with a job and gets it when the job "
        "ends. No need to tap again.",
        "zh": "已保存在服务器上:数据仓库正被后台任务占用,任务结束后自动写入,无需再点。",
    },
    "tap.queued_unreachable": {
        "en": "Saved on this server: the database cannot be reached right now and gets it as "
        "soon as it answers again. No need to tap again.",
        "zh": "已保存在服务器上:暂时无法连接数据库,恢复后自动写入,无需再点。",
    },
    "tap.undo": {"en": "Undo", "zh": "撤销"},
    "tap.undo_left": {
        "en": "Undo possible for {seconds} s",
        "zh": "{seconds} 秒内可撤销",
    },
    "tap.undone": {
        "en": "Undone: the call to {name} is removed.",
        "zh": "已撤销:对 {name} 的回访记录已删除。",
    },
    "tap.progress": {
        "en": "Done today: {done} of {n}",
        "zh": "今日已完成:{done}/{n}",
    },
    "tap.details": {"en": "Why, and more", "zh": "原因与详情"},
    "tap.error.amount_missing": {
        "en": "type the order amount, then tap Order",
        "zh": "请先填写订单金额,再点「下单」",
    },
    "tap.error.amount_zero": {"en": "an order's amount is above 0", "zh": "订单金额须大于 0"},
    "tap.error.amount_not_order": {
        "en": "an amount goes with an order: tap Order, or clear the amount",
        "zh": "只有下单才填金额:请点「下单」,或清空金额",
    },
}
