#include "core/thread_pool.hpp"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <stdexcept>
#include <thread>
#include <vector>

using leadkit::engine::ThreadPool;
using leadkit::engine::threads_for;

TEST(ThreadPool, RunsEveryTaskExactlyOnce) {
  for (unsigned threads : {1U, 2U, 3U, 8U}) {
    std::vector<std::atomic<int>> hits(1000);
    ThreadPool::instance().run(hits.size(), threads, [&](std::size_t t) { hits[t]++; });
    for (std::size_t t = 0; t < hits.size(); ++t) ASSERT_EQ(hits[t].load(), 1) << "task " << t;
  }
}

TEST(ThreadPool, ZeroTasksIsANoOp) {
  bool called = false;
  ThreadPool::instance().run(0, 4, [&](std::size_t) { called = true; });
  EXPECT_FALSE(called);
}

TEST(ThreadPool, PropagatesTheFirstException) {
  EXPECT_THROW(ThreadPool::instance().run(64, 2,
                                          [](std::size_t t) {
                                            if (t == 13) throw std::runtime_error("boom");
                                          }),
               std::runtime_error);
  // The pool stays usable after a failed job.
  std::atomic<int> n{0};
  ThreadPool::instance().run(10, 2, [&](std::size_t) { n++; });
  EXPECT_EQ(n.load(), 10);
}

TEST(ThreadPool, ConcurrentCallersEachCompleteTheirJob) {
  std::vector<std::thread> callers;
  std::atomic<long> total{0};
  for (int c = 0; c < 4; ++c) {
    callers.emplace_back([&] {
      for (int rep = 0; rep < 20; ++rep)
        ThreadPool::instance().run(100, 2, [&](std::size_t t) { total += static_cast<long>(t); });
    });
  }
  for (auto& t : callers) t.join();
  EXPECT_EQ(total.load(), 4L * 20 * (99 * 100 / 2));
}

TEST(ThreadPool, UsableInAForkedChild) {
#if defined(__SANITIZE_THREAD__)
  GTEST_SKIP() << "TSan does not support starting threads after a multi-threaded fork";
#endif
  ThreadPool::instance().run(16, 2, [](std::size_t) {});  // make sure workers exist
  pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    std::atomic<int> n{0};
    ThreadPool::instance().run(50, 2, [&](std::size_t) { n++; });
    _exit(n.load() == 50 ? 0 : 1);
  }
  int status = 0;
  ASSERT_EQ(waitpid(pid, &status, 0), pid);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0);
}

TEST(ThreadPool, ThreadsForKeepsSmallWorkSerial) {
  EXPECT_EQ(threads_for(8, 100, 1000, 50), 1U);
  EXPECT_EQ(threads_for(2, 1 << 20, 1000, 50), 2U);
  EXPECT_EQ(threads_for(8, 1 << 20, 1000, 3), 3U);
  EXPECT_EQ(threads_for(1, 1 << 20, 1000, 50), 1U);
  EXPECT_GE(threads_for(0, 1 << 30, 1, 1 << 20), 1U);
}
