"""Reminders by e-mail: the morning mail, the weekly report's mail, the calendar of follow-ups,
the user's opt-out and the admins' E-mail block (settings, addresses, the send log)."""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    # the morning mail
    "mail.morning.subject": {
        "en": "Your calls for {day} (on the list: {n}, follow-ups due: {f})",
        "zh": "{day} 的拜访:{n} 位客户,{f} 个待回访",
    },
    "mail.morning.hello": {"en": "Good morning {name},", "zh": "{name},早上好:"},
    "mail.morning.intro": {
        "en": "here is your call list for {day}.",
        "zh": "这是您 {day} 的拜访名单。",
    },
    "mail.morning.follow_ups": {"en": "Follow-ups due", "zh": "待回访"},
    "mail.morning.list": {"en": "Today's list", "zh": "今日名单"},
    "mail.morning.none": {"en": "No customers on today's list.", "zh": "今日名单上没有客户。"},
    "mail.morning.due_on": {"en": "due {day}", "zh": "应于 {day} 回访"},
    "mail.morning.open": {"en": "Open the list: {url}", "zh": "打开名单:{url}"},
    "mail.morning.open_button": {"en": "Open the call list", "zh": "打开拜访名单"},
    "mail.morning.more": {
        "en": "... and {n} more on the list.",
        "en_one": "... and 1 more on the list.",
        "one_if": "n",
        "zh": "……名单上还有 {n} 位。",
    },
    "mail.col.rank": {"en": "#", "zh": "#"},
    "mail.col.customer": {"en": "Customer", "zh": "客户"},
    "mail.footer": {
        "en": "You get this mail because your account has the address {email}. To stop it, "
        'open the app and switch off the e-mails under "E-mail" in the side bar.',
        "zh": "您收到此邮件是因为您的账户地址为 {email}。如需停止接收,请在应用侧边栏的"
        '"邮件"中关闭邮件提醒。',
    },
    # the weekly report's mail
    "mail.weekly.subject": {
        "en": "Weekly report {first} to {last}: {team}",
        "zh": "周报 {first} 至 {last}:{team}",
    },
    "mail.weekly.intro": {
        "en": "Your team's week {first} to {last}:",
        "zh": "您团队 {first} 至 {last} 的一周:",
    },
    "mail.weekly.row": {
        "en": "{name} ({rep}): {listed} listed, {ordered} orders, {worked} worked",
        "zh": "{name}({rep}):名单 {listed},订单 {ordered},已处理 {worked}",
    },
    "mail.weekly.totals": {
        "en": "Team: {listed} listed, {ordered} orders, {worked} worked",
        "zh": "团队:名单 {listed},订单 {ordered},已处理 {worked}",
    },
    # the calendar of follow-ups
    "mail.ics.download": {"en": "Follow-ups to calendar (.ics)", "zh": "回访加入日历(.ics)"},
    "mail.ics.help": {
        "en": "Every open follow-up as an all-day event: open the file with your calendar. "
        "Download it again after new visits; events already imported are updated, not doubled.",
        "zh": "每个未完成的回访为一个全天事件:用日历打开此文件。记录新的拜访后可再次下载;"
        "已导入的事件会被更新,不会重复。",
    },
    "mail.ics.summary": {"en": "Call back: {customer}", "zh": "回访:{customer}"},
    "mail.ics.calendar": {"en": "Follow-ups of {name}", "zh": "{name} 的回访"},
    "mail.ics.contact": {"en": "Contact: {contact}", "zh": "联系人:{contact}"},
    "mail.ics.visited": {"en": "Visit of {day}: {note}", "zh": "{day} 的拜访:{note}"},
    # the user's own choice (side bar)
    "mail.mine": {"en": "E-mail", "zh": "邮件"},
    "mail.mine.address": {"en": "Mails go to {email}.", "zh": "邮件发送至 {email}。"},
    "mail.mine.no_address": {
        "en": "No e-mail address is set for you: ask an admin to add one.",
        "zh": "您还没有邮件地址:请管理员添加。",
    },
    "mail.mine.receive": {"en": "Send me the reminder mails", "zh": "给我发送提醒邮件"},
    "mail.mine.what.rep": {
        "en": "Each morning: your call list and the follow-ups due.",
        "zh": "每天早上:您的拜访名单和待回访客户。",
    },
    "mail.mine.what.manager": {
        "en": "Each Monday: your team's weekly report.",
        "zh": "每周一:您团队的周报。",
    },
    "mail.mine.what.admin": {
        "en": "Admins get no reminder mails.",
        "zh": "管理员不接收提醒邮件。",
    },
    "mail.mine.saved_on": {"en": "Reminder mails are on.", "zh": "提醒邮件已开启。"},
    "mail.mine.saved_off": {"en": "Reminder mails are off.", "zh": "提醒邮件已关闭。"},
    # the admins' block
    "mail.admin.title": {"en": "E-mail", "zh": "邮件"},
    "mail.admin.off": {
        "en": "No mail server is set: no mail is sent. Set one below to send each rep their "
        "morning list and each manager the weekly report.",
        "zh": "尚未设置邮件服务器:不会发送任何邮件。在下方设置后,每位销售每天早上会收到名单,"
        "每位经理会收到周报。",
    },
    "mail.admin.on": {
        "en": "Mails go out through {host}:{port} from {sender}, with each nightly run.",
        "zh": "邮件经 {host}:{port} 由 {sender} 发出,随每晚的任务发送。",
    },
    "mail.admin.settings": {"en": "Mail server", "zh": "邮件服务器"},
    "mail.field.host": {"en": "SMTP server", "zh": "SMTP 服务器"},
    "mail.field.port": {"en": "Port", "zh": "端口"},
    "mail.field.security": {"en": "Security", "zh": "加密方式"},
    "mail.security.starttls": {"en": "STARTTLS (port 587)", "zh": "STARTTLS(端口 587)"},
    "mail.security.tls": {"en": "TLS (port 465)", "zh": "TLS(端口 465)"},
    "mail.security.none": {"en": "None (local relay only)", "zh": "不加密(仅限本地中继)"},
    "mail.field.username": {"en": "Sign-in name (if needed)", "zh": "登录名(如需要)"},
    "mail.field.password": {"en": "Password (if needed)", "zh": "密码(如需要)"},
    "mail.field.password_help": {
        "en": "Stored in the warehouse, never shown again. Leave empty to keep the one set.",
        "zh": "保存在数据仓库中,不再显示。留空则保留已设置的密码。",
    },
    "mail.field.password_set": {"en": "A password is set.", "zh": "已设置密码。"},
    "mail.field.sender": {"en": "Sender address", "zh": "发件人地址"},
    "mail.field.base_url": {"en": "Address of the app (for the link)", "zh": "应用地址(用于链接)"},
    "mail.do_save": {"en": "Save mail settings", "zh": "保存邮件设置"},
    "mail.saved": {"en": "Mail settings saved.", "zh": "邮件设置已保存。"},
    "mail.error.host": {
        "en": "The mail server is not a host name.",
        "zh": "邮件服务器不是有效的主机名。",
    },
    "mail.error.port": {"en": "The port must be 1 to 65535.", "zh": "端口必须在 1 到 65535 之间。"},
    "mail.error.security": {"en": "Pick a security setting.", "zh": "请选择加密方式。"},
    "mail.error.sender": {
        "en": "The sender is not an e-mail address.",
        "zh": "发件人不是有效的邮件地址。",
    },
    "mail.error.incomplete": {
        "en": "Set both the mail server and the sender, or neither.",
        "zh": "请同时设置邮件服务器和发件人,或都不设置。",
    },
    "mail.error.base_url": {
        "en": "The app's address must start with http:// or https://.",
        "zh": "应用地址必须以 http:// 或 https:// 开头。",
    },
    "mail.error.timeout": {"en": "The time-out is out of range.", "zh": "超时时间超出范围。"},
    "mail.error.email": {"en": "That is not an e-mail address.", "zh": "这不是有效的邮件地址。"},
    "mail.admin.addresses": {"en": "Who gets mails", "zh": "邮件接收人"},
    "mail.admin.set_email": {"en": "Set an address", "zh": "设置地址"},
    "mail.admin.email_user": {"en": "User", "zh": "用户"},
    "mail.admin.email_field": {"en": "E-mail address (empty: none)", "zh": "邮件地址(留空:无)"},
    "mail.admin.do_set_email": {"en": "Set address", "zh": "设置地址"},
    "mail.admin.email_set": {"en": "Address of {name} set.", "zh": "已设置 {name} 的地址。"},
    "mail.admin.log": {"en": "Latest mails", "zh": "最近的邮件"},
    "mail.admin.log_empty": {"en": "No mail queued yet.", "zh": "尚无邮件。"},
    "mail.admin.failures": {
        "en": "{n} mails could not be sent in the last 7 days: see the last error below.",
        "en_one": "1 mail could not be sent in the last 7 days: see the last error below.",
        "one_if": "n",
        "zh": "最近 7 天有 {n} 封邮件未能发送:最后的错误见下表。",
    },
    "mail.admin.retrying": {
        "en": "{n} mails wait for another try (after a failure).",
        "en_one": "1 mail waits for another try (after a failure).",
        "one_if": "n",
        "zh": "{n} 封邮件在失败后等待重试。",
    },
    "mail.col.user": {"en": "User", "zh": "用户"},
    "mail.col.name": {"en": "Name", "zh": "姓名"},
    "mail.col.role": {"en": "Role", "zh": "角色"},
    "mail.col.email": {"en": "E-mail", "zh": "邮件地址"},
    "mail.col.receives": {"en": "Receives mails", "zh": "接收邮件"},
    "mail.col.language": {"en": "Language", "zh": "语言"},
    "mail.col.kind": {"en": "Mail", "zh": "邮件"},
    "mail.col.to": {"en": "To", "zh": "收件人"},
    "mail.col.period": {"en": "For", "zh": "日期"},
    "mail.col.status": {"en": "Status", "zh": "状态"},
    "mail.col.attempts": {"en": "Tries", "zh": "尝试次数"},
    "mail.col.when": {"en": "Last try", "zh": "最后尝试"},
    "mail.col.error": {"en": "Last error", "zh": "最后的错误"},
    "mail.kind.morning": {"en": "Morning list", "zh": "每日名单"},
    "mail.kind.weekly": {"en": "Weekly report", "zh": "周报"},
    "mail.status.pending": {"en": "waiting", "zh": "等待发送"},
    "mail.status.sending": {"en": "sending", "zh": "发送中"},
    "mail.status.sent": {"en": "sent", "zh": "已发送"},
    "mail.status.failed": {"en": "failed", "zh": "失败"},
    "mail.status.expired": {"en": "not sent (too late)", "zh": "未发送(已过期)"},
    "mail.yes": {"en": "yes", "zh": "是"},
    "mail.no_opted_out": {"en": "no (opted out)", "zh": "否(已退订)"},
    "mail.no_address": {"en": "no address", "zh": "无地址"},
}
