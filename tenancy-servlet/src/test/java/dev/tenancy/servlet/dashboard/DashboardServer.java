package dev.tenancy.servlet.dashboard;

import jakarta.servlet.http.HttpServlet;
import java.net.InetSocketAddress;
import java.net.URI;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/** An embedded Jetty 12 on a free loopback port serving the dashboard at {@code /admin/*} and an API at {@code /api/*}. */
final class DashboardServer implements AutoCloseable {

  private final Server server;
  private final URI base;

  DashboardServer(TenantDashboardServlet dashboard, HttpServlet api) throws Exception {
    server = new Server(new InetSocketAddress("127.0.0.1", 0));
    ServletContextHandler context = new ServletContextHandler("/");
    context.addServlet(new ServletHolder(dashboard), "/admin/*");
    context.addServlet(new ServletHolder(api), "/api/*");
    server.setHandler(context);
    server.start();
    base = URI.create("http://127.0.0.1:" + ((ServerConnector) server.getConnectors()[0]).getLocalPort());
  }

  URI uri(String path) {
    return base.resolve(path);
  }

  @Override
  public void close() throws Exception {
    server.stop();
  }
}
