"""Logging a visit: the form, its fields, what it refuses, the queue and follow-ups."""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    # the visit form
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
    "log.queue_failed_seen": {
        "en": "Seen: I logged them again",
        "zh": "知道了,已重新记录",
    },
    "log.follow_up": {"en": "Call back on (optional)", "zh": "下次跟进日期(选填)"},
    "log.follow_up_help": {
        "en": "The customer is put on your call list that day.",
        "zh": "当天该客户会出现在您的回访名单上。",
    },
    "log.follow_up_shown": {"en": "Call back on {day}", "zh": "{day} 再跟进"},
    "log.field.customer_id": {"en": "Customer", "zh": "客户"},
    "log.field.visited_at": {"en": "Date and time", "zh": "日期时间"},
    "log.field.method": {"en": "Method", "zh": "回访方式"},
    "log.field.target": {"en": "Target segment", "zh": "回访对象"},
    "log.field.purpose": {"en": "Purpose", "zh": "回访目的"},
    "log.field.result": {"en": "Result", "zh": "回访结果"},
    "log.field.note": {"en": "Note", "zh": "备注"},
    "log.field.order_amount": {"en": "Order amount", "zh": "订单金额"},
    "log.field.follow_up_date": {"en": "Call back on", "zh": "下次跟进日期"},
    # what the visit form refuses (services/visits.py)
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
    "visit.error.follow_up_not_after": {
        "en": "must be after the visit's day ({day})",
        "zh": "必须晚于回访当天({day})",
    },
    "visit.error.follow_up_too_far": {
        "en": "at most {days} days after the visit",
        "zh": "最多为回访后 {days} 天",
    },
    "visit.error.follow_up_not_date": {"en": "must be a date", "zh": "必须是日期"},
    # the PostgreSQL database out of reach (stopped, restarting, the network cut)
    "log.queued_unreachable": {
        "en": "Saved the visit to {customer} on this server. The database cannot be reached "
        "right now; the visit is written to it automatically as soon as it answers again. "
        "Nothing to do, and no need to save it again.",
        "zh": "已在服务器上保存对 {customer} 的回访。暂时无法连接数据库,数据库恢复后会自动写入,"
        "无需任何操作,也不要重复保存。",
    },
}
