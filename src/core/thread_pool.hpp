// One persistent, lazily started pool shared by every kernel.
//
// - Work is split by the caller into a fixed list of tasks whose boundaries do
//   not depend on the thread count, so results are bit-identical for any
//   number of threads (reductions combine per-task partials in task order).
// - The calling thread takes part; workers are started on first use and kept.
// - One job at a time: a second host thread that calls in while the pool is
//   busy runs its job inline instead of queueing, so concurrent callers never
//   oversubscribe the cores.
// - fork()-safe: the child of a fork starts with an empty pool and restarts
//   workers on its first parallel call.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace leadkit::engine {

class ThreadPool {
 public:
  static ThreadPool& instance();

  // Runs task(t) for every t in [0, n_tasks) on at most `threads` threads
  // (0 = all hardware threads), the caller included. Rethrows the first
  // exception a task threw, after every started task has finished.
  void run(std::size_t n_tasks, unsigned threads, const std::function<void(std::size_t)>& task);

  static unsigned hardware_threads() noexcept;

  // Workers currently started (for tests).
  std::size_t started_workers();

  ThreadPool(const ThreadPool&) = delete;
  ThreadPool& operator=(const ThreadPool&) = delete;

 private:
  ThreadPool();
  ~ThreadPool();

  void ensure_workers(std::size_t n);
  void worker_loop(std::size_t index);
  void drain(const std::function<void(std::size_t)>& task);

  static void before_fork();
  static void after_fork_parent();
  static void after_fork_child();

  std::mutex run_mutex_;  // held by the caller whose job the pool runs
  std::mutex mutex_;      // guards everything below
  std::condition_variable work_cv_;
  std::condition_variable done_cv_;
  std::vector<std::unique_ptr<std::thread>> workers_;
  bool stopping_ = false;

  // The current job.
  const std::function<void(std::size_t)>* job_ = nullptr;
  std::size_t n_tasks_ = 0;
  std::size_t next_task_ = 0;
  std::size_t helpers_wanted_ = 0;  // workers with index < this join the job
  std::size_t helpers_busy_ = 0;
  unsigned long long generation_ = 0;
  std::exception_ptr error_;
};

// Decides how many threads a kernel uses: 1 below `min_work_per_thread` units
// of work per thread, never more than requested or than there are tasks.
unsigned threads_for(int requested, std::size_t work, std::size_t min_work_per_thread,
                     std::size_t n_tasks) noexcept;

// Rows per task for a kernel that streams n rows: about n / 64, rounded down
// to a multiple of `granule`, within [min_rows, max_rows]. A task is one
// contiguous stream for a thread's prefetchers and each new task restarts it,
// so large inputs get long tasks while small ones still split across cores.
// A function of n alone: the task list never depends on the thread count.
constexpr std::size_t stream_task_rows(std::size_t n, std::size_t min_rows, std::size_t max_rows,
                                       std::size_t granule = 1) noexcept {
  const std::size_t r = n / 64 / granule * granule;
  return r < min_rows ? min_rows : (r > max_rows ? max_rows : r);
}

}  // namespace leadkit::engine
