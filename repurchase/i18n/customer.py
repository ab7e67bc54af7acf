"""A customer's page: the owner, the visits and the scores over time."""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    "customer.pick": {"en": "Customer", "zh": "客户"},
    "customer.owner": {"en": "Owner rep", "zh": "负责销售"},
    "customer.visits": {"en": "Visits", "zh": "回访次数"},
    "customer.successful": {"en": "Visits with an order", "zh": "成功拿到订单"},
    "customer.orders": {"en": "Orders", "zh": "订单数"},
    "customer.orders_help": {
        "en": "Days with an order: an order record or a visit that ended in an order, counted "
        "once per day, as on the call list. Several visits with an order on one day are one "
        "order.",
        "zh": "有订单的天数:订单记录或成功拿到订单的回访,每天计一次,与回访名单一致。"
        "同一天多次成功回访计为一个订单。",
    },
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
    # correcting the contact, handing the customer over, and the record of both
    "customer.contact_title": {"en": "Correct the contact", "zh": "更正联系人"},
    "customer.contact_name": {"en": "Contact name", "zh": "联系人"},
    "customer.contact_phone": {"en": "Phone", "zh": "电话"},
    "customer.contact_phone_help": {
        "en": "Digits, spaces and + - ( ), at least 3 digits, at most 30 characters. Leave a "
        "field empty if it is not known.",
        "zh": "数字、空格及 + - ( ),至少 3 位数字,最多 30 个字符。不知道可留空。",
    },
    "customer.contact_save": {"en": "Save the contact", "zh": "保存联系人"},
    "customer.contact_saved": {"en": "Contact saved.", "zh": "联系人已保存。"},
    "customer.contact_same": {
        "en": "Nothing changed: the contact was already this.",
        "zh": "未更改:联系人本来就是这样。",
    },
    "customer.contact_import_note": {
        "en": "The next import from the company's system replaces the contact if its file "
        "carries contacts.",
        "zh": "若下一次从公司系统导入的文件包含联系人,将覆盖此处的更正。",
    },
    "customer.reassign_title": {"en": "Hand over to another rep", "zh": "转给其他销售代表"},
    "customer.reassign_to": {"en": "New owner", "zh": "新负责人"},
    "customer.reassign_button": {"en": "Reassign", "zh": "转交"},
    "customer.reassign_none": {
        "en": "No other rep of this customer's team works today.",
        "zh": "该客户所在团队今天没有其他在职的销售代表。",
    },
    "customer.reassign_note": {
        "en": "The customer leaves {rep}'s call list at once and joins the new owner's list "
        "of today. An import that names another owner replaces this.",
        "zh": "客户立即从 {rep} 的回访名单移出,并加入新负责人今天的名单。"
        "若之后导入的数据指定了其他负责人,以导入为准。",
    },
    "customer.reassigned": {
        "en": "Handed to {rep}: the customer is on their call list of today.",
        "zh": "已转交给 {rep}:该客户已在其今天的回访名单上。",
    },
    "customer.reassigned_badge": {
        "en": "Handed over today",
        "zh": "今天转交而来",
    },
    "customer.gone": {
        "en": "Customer {customer} is no longer among your customers (handed to another rep); "
        "showing another one.",
        "zh": "客户 {customer} 已不在您的客户中(已转交给其他销售代表);现显示其他客户。",
    },
    "customer.changes_title": {"en": "Changes made in the app", "zh": "应用内的更改记录"},
    "customer.changes_col.at": {"en": "When", "zh": "时间"},
    "customer.changes_col.by": {"en": "By", "zh": "操作人"},
    "customer.changes_col.what": {"en": "What", "zh": "内容"},
    "customer.changes_col.before": {"en": "Before", "zh": "更改前"},
    "customer.changes_col.after": {"en": "After", "zh": "更改后"},
    "customer.change.owner": {"en": "Owner", "zh": "负责人"},
    "customer.change.contact": {"en": "Contact", "zh": "联系人"},
    # why a change was refused (services/customer_changes.py names them)
    "manage.error.none_chosen": {
        "en": "Choose at least one customer.",
        "zh": "请至少选择一位客户。",
    },
    "manage.error.too_many": {
        "en": "At most {max} customers can be handed over at once.",
        "zh": "一次最多转交 {max} 位客户。",
    },
    "manage.error.unknown_rep": {
        "en": "Rep {rep} is not in your team: nothing was changed.",
        "zh": "销售代表 {rep} 不在您的团队中:未做任何更改。",
    },
    "manage.error.rep_left": {
        "en": "Rep {rep} has left the company: nothing was changed.",
        "zh": "销售代表 {rep} 已离职:未做任何更改。",
    },
    "manage.error.moved_meanwhile": {
        "en": "Customer {customer} was handed to {rep} meanwhile: nothing was changed. The "
        "page now shows the current owner.",
        "zh": "客户 {customer} 在此期间已转交给 {rep}:未做任何更改。页面现显示当前负责人。",
    },
    "manage.error.same_owner": {
        "en": "Customer {customer} is already {rep}'s.",
        "zh": "客户 {customer} 本来就由 {rep} 负责。",
    },
    "manage.error.other_team": {
        "en": "Rep {rep} is in another team than customer {customer}: customers are handed "
        "over within a team. Nothing was changed.",
        "zh": "销售代表 {rep} 与客户 {customer} 不在同一团队:客户只能在团队内转交。未做任何更改。",
    },
    "manage.error.contact_meanwhile": {
        "en": "Someone changed this contact meanwhile (another user or an import): nothing "
        "was saved. Check the contact shown above and correct it again if needed.",
        "zh": "在此期间联系人已被他人或导入更改:未保存。请核对上方显示的联系人,如需要请再次更正。",
    },
    "manage.error.control": {
        "en": "The contact name must be one line of text.",
        "zh": "联系人须为一行文字。",
    },
    "manage.error.name_long": {
        "en": "The contact name is longer than {max} characters.",
        "zh": "联系人超过 {max} 个字符。",
    },
    "manage.error.phone": {
        "en": "Not a phone number: use digits, spaces and + - ( ) only (+ only first), with at "
        "least {min} digits.",
        "zh": "不是有效的电话号码:只能包含数字、空格及 + - ( )(+ 只能在开头),至少 {min} 位数字。",
    },
    "manage.error.phone_long": {
        "en": "The phone number is longer than {max} characters.",
        "zh": "电话号码超过 {max} 个字符。",
    },
}
