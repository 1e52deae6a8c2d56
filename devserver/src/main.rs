//! `devserver`: binds the tenant ([`devserver::app`]) and, with `--files-port`, the
//! files origin ([`devserver::crm::files_app`]). See the library for what it does.

use clap::Parser;
use devserver::{app, crm, Cli};

async fn bind(port: u16) -> (tokio::net::TcpListener, std::net::SocketAddr) {
    let address = std::net::SocketAddr::from(([127, 0, 0, 1], port));
    match tokio::net::TcpListener::bind(address).await {
        Ok(listener) => {
            let address = listener.local_addr().unwrap_or(address);
            (listener, address)
        }
        Err(e) => {
            eprintln!("devserver: cannot listen on {address}: {e}");
            std::process::exit(1);
        }
    }
}

#[tokio::main]
async fn main() {
    let mut cli = Cli::parse();
    let (listener, address) = bind(cli.port).await;
    let mut lines = vec![format!(
        "devserver: SuperOffice-like tenant on http://{address} ({} agents); sign in at http://{address}/api/dev/login",
        cli.switches.agents
    )];
    if let (Some(port), Some(dir)) = (cli.files_port, cli.files.clone()) {
        let (files_listener, files_address) = bind(port).await;
        if cli.switches.widget_base.is_empty() {
            cli.switches.widget_base = format!("http://{files_address}/widget/");
        }
        lines.push(format!(
            "devserver: widget files (CORS) on http://{files_address}/widget/; CRM-like page at http://{address}/api/dev/login?return=/Cust12345/default.aspx"
        ));
        tokio::spawn(async move {
            if let Err(e) = axum::serve(files_listener, crm::files_app(&dir)).await {
                eprintln!("devserver: files origin: {e}");
                std::process::exit(1);
            }
        });
    }
    println!("{}", lines.join("\n"));
    let shutdown = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    if let Err(e) = axum::serve(listener, app(&cli))
        .with_graceful_shutdown(shutdown)
        .await
    {
        eprintln!("devserver: {e}");
        std::process::exit(1);
    }
}
