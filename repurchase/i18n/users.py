"""The Users page: accounts, roles, passwords, sessions, and what it refuses."""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    "users.list": {"en": "Who can sign in", "zh": "可登录的用户"},
    "users.add": {"en": "Add a user", "zh": "添加用户"},
    "users.manage": {"en": "Change a user", "zh": "修改用户"},
    "users.pick": {"en": "User", "zh": "用户"},
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
    "users.col.username": {"en": "Username", "zh": "用户名"},
    "users.col.name": {"en": "Name", "zh": "姓名"},
    "users.col.role": {"en": "Role", "zh": "角色"},
    "users.col.scope": {"en": "Sees", "zh": "可见范围"},
    "users.col.status": {"en": "Status", "zh": "状态"},
    "users.col.last_login": {"en": "Last sign-in", "zh": "最近登录"},
    "users.col.sessions": {"en": "Signed-in browsers", "zh": "已登录的浏览器"},
    "users.col.external_id": {"en": "Company account", "zh": "公司账号"},
    "users.scope.rep": {"en": "rep {rep_id}", "zh": "销售代表 {rep_id}"},
    "users.scope.team": {"en": "team {team}", "zh": "团队 {team}"},
    "users.scope.all": {"en": "everything", "zh": "全部"},
    "users.status.active": {"en": "active", "zh": "正常"},
    "users.status.disabled": {"en": "disabled", "zh": "已停用"},
    "users.status.demo": {"en": "demo account", "zh": "演示账号"},
    "users.field.username": {"en": "Username", "zh": "用户名"},
    "users.field.name": {"en": "Name shown in the app", "zh": "显示名称"},
    "users.field.role": {"en": "Role", "zh": "角色"},
    "users.field.rep_id": {"en": "Rep id (for a sales rep)", "zh": "销售代表编号(销售代表填写)"},
    "users.field.team": {"en": "Team (for a manager)", "zh": "团队(经理填写)"},
    "users.field.password": {"en": "Password", "zh": "密码"},
    "users.field.password_again": {"en": "Password again", "zh": "再次输入密码"},
    "users.field.external_id": {
        "en": "Company account (optional)",
        "zh": "公司账号(可选)",
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
}
