"""``yusuan serve`` (the web UI and REST API) and ``yusuan user add`` (accounts)."""

from __future__ import annotations

import sys

import click

from yusuan.cli.common import db_option, open_store


@click.command("serve", help="启动网页界面和 REST 接口。 Start the web UI and REST API.")
@db_option
@click.option("--host", default="127.0.0.1", show_default=True, help="监听地址。 Address to listen on.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535),
              help="端口。 Port.")
@click.option("--max-upload-mb", default=64, show_default=True, type=click.IntRange(1, 4096),
              help="上传文件大小上限（MB）。 Upload size limit in MB.")
@click.option("--secure-cookies", is_flag=True,
              help="仅通过 HTTPS 发送会话 Cookie（反向代理后启用）。 Send cookies over HTTPS only.")
@click.option("--log-level", default="warning", show_default=True,
              type=click.Choice(["critical", "error", "warning", "info", "debug"]))
def serve_cmd(db: str, host: str, port: int, max_upload_mb: int, secure_cookies: bool,
              log_level: str) -> None:
    try:
        import uvicorn

        from yusuan.service.app import create_app
        from yusuan.service.core import Settings
    except ImportError as exc:  # the service extra is not installed
        raise click.ClickException(
            f"缺少服务组件（{exc.name}）：请安装 pip install 'yusuan[service]'。 "
            "Install the service extra."
        ) from exc
    store = open_store(db)
    from yusuan.store.accounts import Accounts

    if Accounts(store.engine).count() == 0:
        click.echo(
            "尚无任何账户。请先创建管理员：\n"
            f"  yusuan user add admin --role admin --db {db}\n"
            "No account exists yet; create the administrator with the command above.",
            err=True,
        )
    settings = Settings(max_upload=max_upload_mb * 1024 * 1024, secure_cookies=secure_cookies)
    app = create_app(store=store, settings=settings)
    click.echo(f"yusuan 服务：http://{host}:{port}/  （数据库 {store.url}）", err=True)
    import threading

    # build the shared read models while the server starts answering
    threading.Thread(target=app.state.service.warm, name="yusuan-warm", daemon=True).start()
    try:
        uvicorn.run(app, host=host, port=port, log_level=log_level,
                    access_log=log_level in ("info", "debug"))
    finally:
        app.state.service.close()


@click.group("user", help="管理账户。 Manage accounts.")
def user_cmd() -> None:
    pass


@user_cmd.command("add", help="创建账户。 Create an account.")
@click.argument("name")
@click.option("--role", required=True, type=click.Choice(["admin", "editor", "reviewer", "viewer"]),
              help="角色：admin 管理员，editor 编辑（上传），reviewer 审核，viewer 只读。")
@click.option("--display-name", default="", help="显示名。 Display name.")
@click.option("--password-stdin", is_flag=True,
              help="从标准输入读取密码（一行）。 Read the password from standard input.")
@db_option
def user_add(name: str, role: str, display_name: str, password_stdin: bool, db: str) -> None:
    from yusuan.service.auth import MIN_PASSWORD, hash_password
    from yusuan.store.accounts import AccountError, Accounts

    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt("密码 Password", hide_input=True, confirmation_prompt=True)
    if len(password) < MIN_PASSWORD:
        raise click.ClickException(f"密码至少 {MIN_PASSWORD} 个字符。 Password must have at least {MIN_PASSWORD} characters.")
    store = open_store(db)
    try:
        accounts = Accounts(store.engine)
        user = accounts.add_user(name, hash_password(password), role, display_name)
        accounts.audit("cli", "user.add", user.username, role=role)
    except AccountError as exc:
        raise click.ClickException(str(exc)) from exc
    finally:
        store.close()
    click.echo(f"已创建账户 {user.username}（{role}）。 Created {user.username} ({role}).")


@user_cmd.command("list", help="列出账户。 List accounts.")
@db_option
def user_list(db: str) -> None:
    from yusuan.store.accounts import Accounts

    store = open_store(db)
    try:
        for u in Accounts(store.engine).users():
            click.echo(f"{u.username}\t{u.role}\t{'active' if u.active else 'disabled'}")
    finally:
        store.close()


@user_cmd.command("passwd", help="重设密码（并注销其会话）。 Reset a password.")
@click.argument("name")
@click.option("--password-stdin", is_flag=True, help="从标准输入读取密码。")
@db_option
def user_passwd(name: str, password_stdin: bool, db: str) -> None:
    from yusuan.service.auth import MIN_PASSWORD, hash_password
    from yusuan.store.accounts import Accounts

    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt("新密码 New password", hide_input=True, confirmation_prompt=True)
    if len(password) < MIN_PASSWORD:
        raise click.ClickException(f"密码至少 {MIN_PASSWORD} 个字符。")
    store = open_store(db)
    try:
        accounts = Accounts(store.engine)
        if not accounts.set_password(name, hash_password(password)):
            raise click.ClickException(f"用户 {name} 不存在。 No such user.")
        accounts.audit("cli", "user.passwd", name)
    finally:
        store.close()
    click.echo(f"已重设 {name} 的密码。 Password reset.")
