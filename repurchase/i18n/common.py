"""Texts every page shares: navigation, roles, the first start, access and errors."""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    # navigation
    "nav.call_list": {"en": "Today's call list", "zh": "今日回访名单"},
    "nav.log_visit": {"en": "Log a visit", "zh": "记录回访"},
    "nav.customer": {"en": "Customer", "zh": "客户详情"},
    "nav.cohorts": {"en": "Does the list work?", "zh": "名单效果"},
    "nav.model": {"en": "Model", "zh": "模型"},
    "nav.data": {"en": "Data", "zh": "数据管理"},
    "nav.signed_in": {"en": "Signed in as {name} ({role})", "zh": "已登录:{name}({role})"},
    "nav.sign_out": {"en": "Sign out", "zh": "退出登录"},
    "nav.users": {"en": "Users", "zh": "用户管理"},
    "nav.team_today": {"en": "Team today", "zh": "团队今日"},
    # roles
    "role.rep": {"en": "sales rep", "zh": "销售代表"},
    "role.manager": {"en": "manager", "zh": "经理"},
    "role.admin": {"en": "admin", "zh": "管理员"},
    # the first start
    "setup.first_start": {
        "en": "First start: preparing the demo (about a minute and a half)...",
        "zh": "首次启动:正在准备演示数据(约一分半钟)……",
    },
    "setup.scoring_today": {
        "en": "Writing today's call lists...",
        "zh": "正在生成今日回访名单……",
    },
    # what a role may not see
    "access.denied": {
        "en": "You cannot see this: it is not among your customers or your team.",
        "zh": "您无权查看:不属于您的客户或团队。",
    },
    "access.page_denied": {
        "en": "This page is not available for your role.",
        "zh": "您的角色无权访问此页面。",
    },
    # errors every page may meet
    "error.no_model": {
        "en": "No model is serving yet. An admin can train one on the Data page.",
        "zh": "尚无可用模型。管理员可在“数据管理”页面训练模型。",
    },
    "error.locked": {
        "en": "The data is busy with an import or a retrain. Please try again in a moment.",
        "zh": "数据正在导入或训练中,请稍后再试。",
    },
    "error.disk_full": {
        "en": "The disk that holds the data is full (No space left on device), so nothing was "
        "saved. Ask your administrator to free some space, then try again.",
        "zh": "存放数据的磁盘已满(No space left on device),因此没有保存任何内容。"
        "请联系管理员释放磁盘空间后再试。",
    },
    # the PostgreSQL database out of reach (stopped, restarting, the network cut)
    "error.unavailable": {
        "en": "The database cannot be reached right now. Retrying by itself in a few "
        "seconds; nothing you saved is lost.",
        "zh": "暂时无法连接数据库,几秒后自动重试;已保存的内容不会丢失。",
    },
    # words many pages use
    "common.all": {"en": "All", "zh": "全部"},
    "common.language_not_saved": {
        "en": "The language switched here, but could not be saved for your next sign-in.",
        "zh": "语言已在此切换,但未能保存,下次登录时不会沿用。",
    },
    "common.date": {"en": "Date", "zh": "日期"},
    "common.week": {"en": "Week", "zh": "周"},
    "common.when": {"en": "When", "zh": "时间"},
    "common.rep": {"en": "Rep", "zh": "销售代表"},
    "common.name": {"en": "Name", "zh": "姓名"},
    "common.download_csv": {"en": "Download CSV", "zh": "下载 CSV"},
}
