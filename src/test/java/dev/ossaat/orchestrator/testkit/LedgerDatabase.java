package dev.ossaat.orchestrator.testkit;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A PostgreSQL database of the test's own on 127.0.0.1:5432 (trust auth, user postgres), created at
 * start and dropped at {@link #close}, so tests never meet other data. Plain JDBC: the test's reads.
 */
public final class LedgerDatabase implements AutoCloseable {
  public static final String HOST = "127.0.0.1";
  public static final int PORT = 5432;

  public final String name = "orchestrator_ledger_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);

  public LedgerDatabase() {
    admin("CREATE DATABASE " + name);
  }

  /** {@code postgresql://host:port/name}, for {@code ledger.url}; optionally through another port (a proxy). */
  public String url(int port) {
    return "postgresql://" + HOST + ":" + port + "/" + name;
  }

  public String url() {
    return url(PORT);
  }

  /** The rows of a query, each a column-name to value map. */
  public List<Map<String, Object>> query(String sql, Object... args) {
    try (Connection c = DriverManager.getConnection("jdbc:postgresql://" + HOST + ":" + PORT + "/" + name, "postgres", null);
        PreparedStatement st = c.prepareStatement(sql)) {
      for (int i = 0; i < args.length; i++) st.setObject(i + 1, args[i]);
      try (ResultSet rs = st.executeQuery()) {
        ResultSetMetaData md = rs.getMetaData();
        List<Map<String, Object>> rows = new ArrayList<>();
        while (rs.next()) {
          Map<String, Object> row = new LinkedHashMap<>();
          for (int i = 1; i <= md.getColumnCount(); i++) row.put(md.getColumnLabel(i), rs.getObject(i));
          rows.add(row);
        }
        return rows;
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The number of ledger rows, or -1 while the table does not exist yet. */
  public long rows() {
    try {
      return ((Number) query("SELECT count(*) AS n FROM usage_ledger").get(0).get("n")).longValue();
    } catch (IllegalStateException e) {
      return -1;
    }
  }

  @Override
  public void close() {
    admin("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
  }

  private static void admin(String sql) {
    try (Connection c = DriverManager.getConnection("jdbc:postgresql://" + HOST + ":" + PORT + "/postgres", "postgres", null)) {
      c.createStatement().execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }
}
