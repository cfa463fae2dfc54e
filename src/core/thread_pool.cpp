#include "core/thread_pool.hpp"

#include <pthread.h>

#include <algorithm>
#include <new>

namespace leadkit::engine {

ThreadPool& ThreadPool::instance() {
  // Leaked on purpose: workers may still be parked at static-destruction time
  // in a host process, and joining them from a destructor there can deadlock.
  static ThreadPool* pool = [] {
    auto* p = new ThreadPool();
    pthread_atfork(&ThreadPool::before_fork, &ThreadPool::after_fork_parent,
                   &ThreadPool::after_fork_child);
    return p;
  }();
  return *pool;
}

ThreadPool::ThreadPool() = default;

ThreadPool::~ThreadPool() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  work_cv_.notify_all();
  for (auto& w : workers_) w->join();
}

unsigned ThreadPool::hardware_threads() noexcept {
  unsigned n = std::thread::hardware_concurrency();
  return n == 0 ? 1U : n;
}

std::size_t ThreadPool::started_workers() {
  std::lock_guard<std::mutex> lock(mutex_);
  return workers_.size();
}

void ThreadPool::ensure_workers(std::size_t n) {
  // Called with mutex_ held.
  while (workers_.size() < n) {
    std::size_t index = workers_.size();
    workers_.push_back(std::make_unique<std::thread>([this, index] { worker_loop(index); }));
  }
}

void ThreadPool::drain(const std::function<void(std::size_t)>& task) {
  for (;;) {
    std::size_t t;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      if (next_task_ >= n_tasks_ || error_) return;
      t = next_task_++;
    }
    try {
      task(t);
    } catch (...) {
      std::lock_guard<std::mutex> lock(mutex_);
      if (!error_) error_ = std::current_exception();
      return;
    }
  }
}

void ThreadPool::worker_loop(std::size_t index) {
  unsigned long long seen = 0;
  std::unique_lock<std::mutex> lock(mutex_);
  for (;;) {
    work_cv_.wait(lock, [&] { return stopping_ || (generation_ != seen && index < helpers_wanted_); });
    if (stopping_) return;
    seen = generation_;
    const auto* job = job_;
    ++helpers_busy_;
    lock.unlock();
    drain(*job);
    lock.lock();
    if (--helpers_busy_ == 0) done_cv_.notify_all();
  }
}

void ThreadPool::run(std::size_t n_tasks, unsigned threads,
                     const std::function<void(std::size_t)>& task) {
  if (n_tasks == 0) return;
  if (threads == 0) threads = hardware_threads();
  threads = static_cast<unsigned>(std::min<std::size_t>(threads, n_tasks));

  std::unique_lock<std::mutex> run_lock(run_mutex_, std::defer_lock);
  if (threads <= 1 || !run_lock.try_lock()) {
    // Serial, or the pool is busy with another caller's job: run inline.
    for (std::size_t t = 0; t < n_tasks; ++t) task(t);
    return;
  }

  std::exception_ptr error;
  {
    std::unique_lock<std::mutex> lock(mutex_);
    std::size_t helpers = threads - 1;
    ensure_workers(helpers);
    job_ = &task;
    n_tasks_ = n_tasks;
    next_task_ = 0;
    error_ = nullptr;
    helpers_wanted_ = helpers;
    ++generation_;
  }
  work_cv_.notify_all();
  drain(task);
  {
    std::unique_lock<std::mutex> lock(mutex_);
    // Every task has been taken; wait for helpers still finishing theirs, and
    // for helpers that were woken late, so none touches job_ after we return.
    done_cv_.wait(lock, [&] { return helpers_busy_ == 0; });
    helpers_wanted_ = 0;
    job_ = nullptr;
    error = error_;
    error_ = nullptr;
  }
  if (error) std::rethrow_exception(error);
}

// fork(): hold both locks across the fork so the child gets a consistent pool,
// then give the child a fresh, empty pool (its copies of the workers do not run).
void ThreadPool::before_fork() {
  ThreadPool& p = instance();
  p.run_mutex_.lock();
  p.mutex_.lock();
}

void ThreadPool::after_fork_parent() {
  ThreadPool& p = instance();
  p.mutex_.unlock();
  p.run_mutex_.unlock();
}

void ThreadPool::after_fork_child() {
  ThreadPool& p = instance();
  // The std::thread objects name threads that do not exist in the child:
  // release them without join/detach (a small, one-time leak in the child).
  for (auto& w : p.workers_) static_cast<void>(w.release());
  p.workers_.clear();
  p.job_ = nullptr;
  p.n_tasks_ = p.next_task_ = 0;
  p.helpers_wanted_ = 0;
  p.helpers_busy_ = 0;
  p.error_ = nullptr;
  // The condition variables still count the parent's parked workers as
  // waiters (glibc would wait for them forever on the next notify), and the
  // mutexes are held: give the child fresh ones. The old objects are not
  // destroyed, since destroying a held mutex or a waited-on condvar is
  // undefined; they own no resources beyond their own bytes.
  new (&p.work_cv_) std::condition_variable();
  new (&p.done_cv_) std::condition_variable();
  new (&p.mutex_) std::mutex();
  new (&p.run_mutex_) std::mutex();
}

unsigned threads_for(int requested, std::size_t work, std::size_t min_work_per_thread,
                     std::size_t n_tasks) noexcept {
  std::size_t want = requested <= 0 ? ThreadPool::hardware_threads()
                                    : static_cast<std::size_t>(requested);
  if (min_work_per_thread > 0) want = std::min(want, std::max<std::size_t>(1, work / min_work_per_thread));
  want = std::min(want, std::max<std::size_t>(1, n_tasks));
  return static_cast<unsigned>(want);
}

}  // namespace leadkit::engine
