package dev.retort.core.distill.emd;

import java.util.Arrays;

/**
 * The basis of the transportation simplex as a spanning tree, with its potentials and flows; a
 * reusable, single-threaded workspace.
 *
 * <p>Nodes {@code 0..M−1} are rows (supplies), {@code M..M+N−1} are columns (demands); a basic cell
 * {@code (i, j)} (row-major index {@code i·N + j}) is the tree edge between row i and column j.
 * Potentials satisfy {@code u_i + v_j = d_ij} on every basic cell and are 0 at the root: the last
 * line of the starting rule after {@link #build}, row 0 after {@link #rebuild()}.
 *
 * <p>{@link #rebuild()} recomputes everything from the edges: a breadth-first walk sets parents,
 * depths and potentials, then every flow is set by peeling leaves (a leaf's edge carries the leaf's
 * residual mass), so rebuilt flows carry no rounding history. Between rebuilds {@link #pivot}
 * updates the tree incrementally, in time proportional to the cycle and the re-hung subtree.
 */
final class BasisTree {

  private int m;
  private int n;
  private int capM;
  private int capN;
  double[] cost; // [M·N] row-major, filled by the caller
  double[] mass; // [M+N] supplies then demands, filled by the caller
  double[] flow; // [M·N], meaningful on the basic cells only
  double[] potential; // [M+N] u then v
  private int[] rowAdj; // [M·N] basic columns of row i at i·N ..
  private int[] rowDeg; // [M]
  private int[] colAdj; // [N·M] basic rows of column j at j·M ..
  private int[] colDeg; // [N]
  private int[] parent; // [M+N], −1 at the root
  private int[] up; // [M+N] row-major index of the cell joining each node to its parent
  private int root; // the node without a parent
  private int[] depth; // [M+N]
  private int[] order; // [M+N] breadth-first or depth order, also the subtree stack in pivot
  private int[] depthStart; // [M+N+1] counting-sort buckets of refreshFlows
  private double[] residual; // [M+N]
  private int[] path; // [M+N] cycle edges: child node, complemented (~x) on the column side
  private int pathLength; // edges on the pending cycle's tree path
  private double theta; // flow moved by the pending pivot
  private int leaveCell; // leaving cell of the pending pivot
  private int leaveChild; // path entry of the leaving edge

  /** Sizes the workspace for an M×N problem and empties the basis. */
  void reset(int rows, int cols) {
    m = rows;
    n = cols;
    if (rows > capM || cols > capN) {
      capM = Math.max(rows, capM);
      capN = Math.max(cols, capN);
      int cells = capM * capN;
      int nodes = capM + capN;
      cost = new double[cells];
      flow = new double[cells];
      rowAdj = new int[cells];
      colAdj = new int[cells];
      rowDeg = new int[capM];
      colDeg = new int[capN];
      mass = new double[nodes];
      potential = new double[nodes];
      parent = new int[nodes];
      up = new int[nodes];
      depth = new int[nodes];
      order = new int[nodes];
      depthStart = new int[nodes + 1];
      residual = new double[nodes];
      path = new int[nodes];
    }
    Arrays.fill(rowDeg, 0, m, 0);
    Arrays.fill(colDeg, 0, n, 0);
  }

  /** Makes cell {@code (i, j)} basic. */
  void add(int i, int j) {
    rowAdj[i * n + rowDeg[i]++] = j;
    colAdj[j * m + colDeg[j]++] = i;
  }

  private void remove(int i, int j) {
    removeFrom(rowAdj, i * n, --rowDeg[i], j);
    removeFrom(colAdj, j * m, --colDeg[j], i);
  }

  /** Removes {@code value} from {@code list[base .. base+last]} by moving the last entry in. */
  private static void removeFrom(int[] list, int base, int last, int value) {
    for (int k = base; k <= base + last; k++) {
      if (list[k] == value) {
        list[k] = list[base + last];
        return;
      }
    }
    throw new IllegalStateException("basic cell missing from its adjacency list");
  }

  /**
   * Builds the tree of a starting basis without a search. Cell k is {@code (rows[k], cols[k])} and
   * {@code leaves[k]} is the node (row i, or column {@code M + j}) that the starting rule
   * eliminated with it; the other node of the cell stays active, so it is eliminated later or is
   * the root (the other node of the last cell). Read backwards, each cell therefore hangs its leaf
   * below a node already in the tree: that sets parents, depths and potentials ({@code u_i + v_j =
   * d_ij}, 0 at the root); read forwards, each leaf's residual mass is its edge's flow, as in
   * {@link #rebuild()}.
   */
  void build(int[] rows, int[] cols, int[] leaves) {
    int last = m + n - 2;
    for (int k = 0; k <= last; k++) {
      add(rows[k], cols[k]);
    }
    root = leaves[last] == rows[last] ? m + cols[last] : rows[last];
    parent[root] = -1;
    up[root] = -1;
    depth[root] = 0;
    potential[root] = 0;
    for (int k = last; k >= 0; k--) {
      int x = leaves[k];
      int i = rows[k];
      int p = x == i ? m + cols[k] : i;
      int c = i * n + cols[k];
      parent[x] = p;
      up[x] = c;
      depth[x] = depth[p] + 1;
      potential[x] = cost[c] - potential[p];
    }
    System.arraycopy(mass, 0, residual, 0, m + n);
    for (int k = 0; k <= last; k++) {
      int x = leaves[k];
      double f = residual[x];
      flow[up[x]] = f;
      residual[parent[x]] -= f;
    }
  }

  /**
   * Recomputes every flow from the masses on the current tree, as {@link #rebuild()} does, but
   * keeps the parents and the potentials: the nodes are put in order of depth by a counting sort
   * and the leaves peeled deepest first. Returns the potentials' drift, the largest {@code |d_ij −
   * u_i − v_j|} over the basic cells (0 in exact arithmetic; pivots add rounding).
   */
  double refreshFlows() {
    int nodes = m + n;
    int maxDepth = 0;
    for (int x = 0; x < nodes; x++) {
      maxDepth = Math.max(maxDepth, depth[x]);
    }
    Arrays.fill(depthStart, 0, maxDepth + 2, 0);
    for (int x = 0; x < nodes; x++) {
      depthStart[depth[x] + 1]++;
    }
    for (int t = 1; t <= maxDepth; t++) {
      depthStart[t] += depthStart[t - 1];
    }
    for (int x = 0; x < nodes; x++) {
      order[depthStart[depth[x]]++] = x;
    }
    System.arraycopy(mass, 0, residual, 0, nodes);
    double drift = 0;
    for (int t = nodes - 1; t > 0; t--) { // order[0] is the root, the only node at depth 0
      int x = order[t];
      int px = parent[x];
      int c = up[x];
      double f = residual[x];
      flow[c] = f;
      residual[px] -= f;
      drift = Math.max(drift, Math.abs(cost[c] - potential[x] - potential[px]));
    }
    return drift;
  }

  /** Recomputes parents, depths, potentials and flows from the basic cells alone. */
  void rebuild() {
    int nodes = m + n;
    root = 0;
    order[0] = 0;
    parent[0] = -1;
    up[0] = -1;
    depth[0] = 0;
    potential[0] = 0;
    int tail = 1;
    for (int head = 0; head < tail; head++) {
      int x = order[head];
      int px = parent[x];
      int d = depth[x] + 1;
      double ux = potential[x];
      if (x < m) {
        for (int k = x * n, end = k + rowDeg[x]; k < end; k++) {
          int y = m + rowAdj[k];
          if (y != px) {
            tail = checkRoom(tail, nodes);
            int c = x * n + y - m;
            parent[y] = x;
            up[y] = c;
            depth[y] = d;
            potential[y] = cost[c] - ux;
            order[tail++] = y;
          }
        }
      } else {
        int j = x - m;
        for (int k = j * m, end = k + colDeg[j]; k < end; k++) {
          int y = colAdj[k];
          if (y != px) {
            tail = checkRoom(tail, nodes);
            int c = y * n + j;
            parent[y] = x;
            up[y] = c;
            depth[y] = d;
            potential[y] = cost[c] - ux;
            order[tail++] = y;
          }
        }
      }
    }
    if (tail != nodes) {
      throw new IllegalStateException("transport basis does not span all " + nodes + " nodes");
    }
    System.arraycopy(mass, 0, residual, 0, nodes);
    for (int t = nodes - 1; t > 0; t--) {
      int x = order[t];
      double f = residual[x];
      flow[up[x]] = f;
      residual[parent[x]] -= f;
    }
  }

  private static int checkRoom(int tail, int nodes) {
    if (tail == nodes) {
      throw new IllegalStateException("transport basis contains a cycle");
    }
    return tail;
  }

  /**
   * Writes the flows of the basic cells into {@code out}, {@code [M·N]} row-major and zero
   * elsewhere, clamping a basic cell's negative rounding residue (−1 ulp) to 0.
   */
  void copyFlows(double[] out) {
    for (int x = 0; x < m + n; x++) {
      if (x != root) {
        int c = up[x];
        out[c] = Math.max(flow[c], 0.0);
      }
    }
  }

  /**
   * Finds the leaving cell for entering cell {@code (p, q)} and returns it. On the tree path from
   * the entering row to the entering column, the edges at even distance from either end lose θ; the
   * one with the smallest flow leaves (negative rounding residue counts as zero), ties within
   * {@code tol} going to the lowest index. {@link #theta()} then holds θ.
   */
  int findLeaving(int p, int q, double tol) {
    int a = p;
    int b = m + q;
    int fromA = 0;
    int fromB = 0;
    int len = 0;
    double th = Double.POSITIVE_INFINITY;
    while (a != b) {
      int c;
      boolean minus;
      if (depth[a] >= depth[b]) {
        c = up[a];
        minus = (fromA++ & 1) == 0;
        path[len++] = a;
        a = parent[a];
      } else {
        c = up[b];
        minus = (fromB++ & 1) == 0;
        path[len++] = ~b;
        b = parent[b];
      }
      if (minus) {
        th = Math.min(th, Math.max(flow[c], 0));
      }
    }
    int leave = Integer.MAX_VALUE;
    int child = 0;
    for (int k = 0, ka = 0, kb = 0; k < len; k++) {
      int x = path[k];
      boolean minus = x >= 0 ? (ka++ & 1) == 0 : (kb++ & 1) == 0;
      int c = up[x >= 0 ? x : ~x];
      if (minus && Math.max(flow[c], 0) <= th + tol && c < leave) {
        leave = c;
        child = x;
      }
    }
    pathLength = len;
    theta = th;
    leaveCell = leave;
    leaveChild = child;
    return leave;
  }

  /** Returns θ, the flow the pending pivot moves around the cycle. */
  double theta() {
    return theta;
  }

  /**
   * Performs the pivot prepared by {@link #findLeaving}: moves θ around the cycle, swaps the
   * leaving cell for the entering cell {@code (p, q)}, re-hangs the detached subtree from the
   * entering cell and shifts its potentials by the entering reduced cost {@code r} so that {@code
   * r} becomes 0.
   */
  void pivot(int p, int q, double r) {
    double th = theta;
    if (th > 0) {
      for (int k = 0, ka = 0, kb = 0; k < pathLength; k++) {
        int x = path[k];
        boolean minus = x >= 0 ? (ka++ & 1) == 0 : (kb++ & 1) == 0;
        int c = up[x >= 0 ? x : ~x];
        flow[c] += minus ? -th : th;
      }
    }
    boolean rowSide = leaveChild >= 0; // the detached subtree holds the entering row
    int x = rowSide ? leaveChild : ~leaveChild;
    int e1 = rowSide ? p : m + q;
    int e2 = rowSide ? m + q : p;
    // The leaving edge joins x to its parent; decode its row and column without a division.
    if (x < m) {
      remove(x, parent[x] - m);
    } else {
      remove(parent[x], x - m);
    }
    add(p, q);
    int cell = p * n + q;
    flow[cell] = th;
    // Reverse the parent pointers from e1 up to x, the old root of the detached subtree: each node
    // on the way hangs below the node that hung below it, by the edge that joined them (e1 hangs
    // below e2 by the entering cell).
    int prev = e2;
    int cur = e1;
    while (true) {
      int next = parent[cur];
      int nextCell = up[cur];
      parent[cur] = prev;
      up[cur] = cell;
      if (cur == x) {
        break;
      }
      prev = cur;
      cell = nextCell;
      cur = next;
    }
    // New depths, and potentials shifted so that u_p + v_q = d_pq: rows by rowShift, columns by
    // −rowShift (edges inside the subtree keep u + v = d).
    double rowShift = e1 < m ? r : -r;
    depth[e1] = depth[e2] + 1;
    int top = 0;
    order[top++] = e1;
    while (top > 0) {
      int y = order[--top];
      int py = parent[y];
      int d = depth[y] + 1;
      if (y < m) {
        potential[y] += rowShift;
        for (int k = y * n, end = k + rowDeg[y]; k < end; k++) {
          int z = m + rowAdj[k];
          if (z != py) {
            depth[z] = d;
            order[top++] = z;
          }
        }
      } else {
        potential[y] -= rowShift;
        int j = y - m;
        for (int k = j * m, end = k + colDeg[j]; k < end; k++) {
          int z = colAdj[k];
          if (z != py) {
            depth[z] = d;
            order[top++] = z;
          }
        }
      }
    }
  }
}
