"""The manager's today and the weekly report."""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    # the manager's today
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
    "team.success_title": {
        "en": "Success from {first} to {day}, on and off the list",
        "zh": "{first} 至 {day} 名单内外的成功率",
    },
    "team.risk_caption": {
        "en": "At risk: customers the scoring of {day} flagged as drifting away.",
        "zh": "流失风险:{day} 评分标记为可能流失的客户。",
    },
    "team.risk_none": {
        "en": "No scoring yet: no customers flagged as at risk.",
        "zh": "尚无评分:没有标记流失风险的客户。",
    },
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
    "team.col.rep": {"en": "Rep", "zh": "销售代表"},
    "team.col.name": {"en": "Name", "zh": "姓名"},
    "team.col.team": {"en": "Team", "zh": "团队"},
    "team.col.listed": {"en": "Listed", "zh": "名单客户"},
    "team.col.ordered": {"en": "Ordered", "zh": "下单"},
    "team.col.no_demand": {"en": "No demand", "zh": "暂无需求"},
    "team.col.not_reached": {"en": "Not reached", "zh": "未联系上"},
    "team.col.snoozed": {"en": "Snoozed", "zh": "已暂缓"},
    "team.col.skipped": {"en": "Skipped", "zh": "已跳过"},
    "team.col.open": {"en": "Open", "zh": "未处理"},
    "team.col.worked_share": {"en": "Worked", "zh": "完成度"},
    "team.col.on_list": {"en": "On-list success", "zh": "名单内成功率"},
    "team.col.off_list": {"en": "Off-list success", "zh": "名单外成功率"},
    "team.col.at_risk": {"en": "At risk", "zh": "流失风险"},
    # the weekly report (services/weekly_report.py)
    "report.proof_title": {"en": "Does the list help?", "zh": "名单有没有用?"},
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
        "zh": "已处理:名单当天已回访(下单或暂无需求)、未联系上、暂缓或跳过的名单客户。"
        "名单内:回访前 7 天内该客户在该销售代表的名单上。置信区间:95% Wilson。"
        "流失风险:截至 {last} 的最新评分标记为可能流失的客户。",
    },
    # the daily call target
    "team.calls_title": {"en": "Calls against the daily target", "zh": "通话量与每日目标"},
    "team.calls_caption": {
        "en": "{calls} calls made on {day} against a target of {target} ({share}). Every "
        "visit logged counts, not-reached ones included.",
        "zh": "{day} 共打出 {calls} 通电话,目标 {target}({share})。每次记录的回访都算,"
        "未联系上的也算。",
    },
    "team.calls_no_target": {
        "en": "{calls} calls made on {day}. No daily call target is set yet: set one below.",
        "zh": "{day} 共打出 {calls} 通电话。尚未设置每日通话目标:可在下方设置。",
    },
    "team.col.calls": {"en": "Calls", "zh": "通话"},
    "team.col.target": {"en": "Target", "zh": "目标"},
    "team.col.progress": {"en": "Of the target", "zh": "目标完成"},
    "team.target_title": {"en": "Set the daily call target", "zh": "设置每日通话目标"},
    "team.target_team": {"en": "Team", "zh": "团队"},
    "team.target_calls": {"en": "Calls per rep and day", "zh": "每位代表每天通话数"},
    "team.target_now": {
        "en": "Now: {calls} calls per rep and day (set by {by}).",
        "zh": "当前:每位代表每天 {calls} 通(由 {by} 设置)。",
    },
    "team.target_none": {"en": "No target set yet.", "zh": "尚未设置目标。"},
    "team.target_save": {"en": "Set the target", "zh": "设置目标"},
    "team.target_saved": {
        "en": "From {day} on, team {team} aims at {calls} calls per rep and day.",
        "zh": "自 {day} 起,团队 {team} 的目标为每位代表每天 {calls} 通。",
    },
    "team.target.error.number": {
        "en": "Type a number of calls.",
        "zh": "请输入通话数。",
    },
    "team.target.error.range": {
        "en": "A daily target is a whole number of calls from 1 to {max}.",
        "zh": "每日目标须为 1 到 {max} 之间的整数。",
    },
    "team.target.error.team": {
        "en": "No rep is in team {team}.",
        "zh": "团队 {team} 中没有销售代表。",
    },
    # handing customers over
    "team.move_title": {"en": "Hand customers over", "zh": "转交客户"},
    "team.move_from": {"en": "From rep", "zh": "原负责人"},
    "team.move_customers": {"en": "Customers", "zh": "客户"},
    "team.move_to": {"en": "To rep", "zh": "新负责人"},
    "team.move_button": {"en": "Reassign", "zh": "转交"},
    "team.move_none": {
        "en": "No other rep of this team works today.",
        "zh": "该团队今天没有其他在职的销售代表。",
    },
    "team.move_no_customers": {"en": "This rep owns no customers.", "zh": "该代表名下没有客户。"},
    "team.moved": {
        "en": "{count} customers handed from {from_rep} to {to_rep}; today's lists follow.",
        "en_one": "1 customer handed from {from_rep} to {to_rep}; today's lists follow.",
        "one_if": "count",
        "zh": "已将 {count} 位客户从 {from_rep} 转交给 {to_rep};今天的名单已随之更新。",
    },
    "team.rep_left_suffix": {"en": "(left)", "zh": "(已离职)"},
}
